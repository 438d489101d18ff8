// Live counters over server-sent events. No build step and no dependencies: this file is served as is.
(function () {
  'use strict';
  var state = document.querySelector('[data-live-state]');
  if (!state || typeof EventSource === 'undefined') return;

  function setText(element, value) {
    var text = value === null || value === undefined ? '—' : String(value);
    if (element.textContent === text) return;
    element.textContent = text;
    element.classList.add('changed');
    setTimeout(function () {
      element.classList.remove('changed');
    }, 600);
  }

  var source = new EventSource('/dashboard/live');
  source.addEventListener('counters', function (event) {
    var counters = JSON.parse(event.data);
    document.querySelectorAll('[data-counter]').forEach(function (element) {
      var name = element.getAttribute('data-counter');
      setText(element, counters[name]);
    });
    document.querySelectorAll('[data-flow-total]').forEach(function (element) {
      var flow = counters.perFlow[element.getAttribute('data-flow-total')];
      setText(element, flow ? flow.total : 0);
    });
    state.textContent = 'live · ' + counters.at.slice(11, 19) + ' UTC';
    state.className = 'live on';
  });
  source.addEventListener('problem', function (event) {
    state.textContent = 'live update failed: ' + JSON.parse(event.data).message;
    state.className = 'live off';
  });
  source.onerror = function () {
    state.textContent = 'disconnected, retrying…';
    state.className = 'live off';
  };
})();
