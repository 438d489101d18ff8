/** One stacked series of a bar chart; `tone` picks the CSS colour class. */
export interface BarSeries {
  name: string;
  tone: 'ok' | 'bad' | 'info' | 'warn';
  values: readonly number[];
}

export interface BarChart {
  title: string;
  /** One label per bar, e.g. "10:42". */
  labels: readonly string[];
  series: readonly BarSeries[];
  width?: number;
  height?: number;
}

const PAD = { top: 12, right: 8, bottom: 22, left: 34 };

/** Renders a stacked bar chart as inline SVG, so the page needs no chart script and no network. */
export function renderBarChart(chart: BarChart): string {
  const width = chart.width ?? 640;
  const height = chart.height ?? 180;
  const plotWidth = width - PAD.left - PAD.right;
  const plotHeight = height - PAD.top - PAD.bottom;
  const bars = chart.labels.length;
  const totals = chart.labels.map((_, index) =>
    chart.series.reduce((sum, series) => sum + (series.values[index] ?? 0), 0),
  );
  const max = Math.max(1, ...totals);
  const slot = bars === 0 ? plotWidth : plotWidth / bars;
  const barWidth = Math.max(1, slot * 0.8);
  const parts: string[] = [];
  for (const fraction of [0, 0.5, 1]) {
    const y = PAD.top + plotHeight * (1 - fraction);
    parts.push(
      `<line class="grid" x1="${PAD.left}" x2="${width - PAD.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/>`,
    );
    parts.push(
      `<text class="axis" x="${PAD.left - 4}" y="${(y + 3).toFixed(1)}" text-anchor="end">${formatTick(max * fraction)}</text>`,
    );
  }
  chart.labels.forEach((label, index) => {
    const x = PAD.left + slot * index + (slot - barWidth) / 2;
    let base = PAD.top + plotHeight;
    for (const series of chart.series) {
      const value = series.values[index] ?? 0;
      if (value <= 0) continue;
      const barHeight = (value / max) * plotHeight;
      base -= barHeight;
      parts.push(
        `<rect class="bar ${series.tone}" x="${x.toFixed(1)}" y="${base.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${barHeight.toFixed(1)}"><title>${escapeXml(`${label} ${series.name}: ${value}`)}</title></rect>`,
      );
    }
    // Every label on a wide chart would overlap: show about eight.
    if (index % Math.max(1, Math.ceil(bars / 8)) === 0) {
      parts.push(
        `<text class="axis" x="${(x + barWidth / 2).toFixed(1)}" y="${height - 6}" text-anchor="middle">${escapeXml(label)}</text>`,
      );
    }
  });
  const legend = chart.series
    .map((series) => `<tspan class="legend ${series.tone}">■ ${escapeXml(series.name)}</tspan>`)
    .join(' ');
  return (
    `<svg class="chart" role="img" aria-label="${escapeXml(chart.title)}" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMidYMid meet">` +
    `<title>${escapeXml(chart.title)}</title>${parts.join('')}` +
    `<text class="axis" x="${width - PAD.right}" y="${PAD.top - 2}" text-anchor="end">${legend}</text></svg>`
  );
}

function formatTick(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
