import { RuntimeMetrics } from './runtime-metrics';

describe('RuntimeMetrics', () => {
  it('counts flow events, outcomes, retries and durations per flow', async () => {
    const metrics = new RuntimeMetrics();
    metrics.eventReceived('orders');
    metrics.eventOutcome('orders', 'retrying', 30);
    metrics.eventOutcome('orders', 'succeeded', 12);
    metrics.eventOutcome('orders', 'duplicate', 0);
    const { body } = await metrics.render();
    expect(body).toContain('sb_flow_events_in_total{flow="orders"} 1');
    expect(body).toContain('sb_flow_events_out_total{flow="orders",outcome="succeeded"} 1');
    expect(body).toContain('sb_flow_retries_total{flow="orders"} 1');
    // Duplicates did no work: they do not skew the duration histogram.
    expect(body).toContain('sb_flow_execution_duration_seconds_count{flow="orders"} 2');
  });

  it('reports connector HTTP status codes, retries, breaker state and credentials as the SDK observer', async () => {
    const metrics = new RuntimeMetrics();
    metrics.httpAttempt({ connectorId: 'payoneer', method: 'POST', host: 'https://api.sandbox.payoneer.com', attempt: 1, status: 429, outcome: 'rate_limited', durationMs: 80 });
    metrics.httpAttempt({ connectorId: 'payoneer', method: 'POST', host: 'https://api.sandbox.payoneer.com', attempt: 2, status: undefined, outcome: 'transient', durationMs: 5000 });
    metrics.httpRetry({ connectorId: 'payoneer', method: 'POST', retry: 1, delayMs: 1000, failureType: 'rate_limited', status: 429 });
    metrics.breakerStateChanged({ connectorId: 'payoneer', host: 'https://api.sandbox.payoneer.com', state: 'open' });
    metrics.credentialRequested({ connectorId: 'payoneer', strategy: 'oauth2', outcome: 'obtained' });
    const { body, contentType } = await metrics.render();
    expect(contentType).toContain('text/plain');
    expect(body).toContain('sb_connector_http_requests_total{connector="payoneer",method="POST",status="429",outcome="rate_limited"} 1');
    expect(body).toContain('sb_connector_http_requests_total{connector="payoneer",method="POST",status="none",outcome="transient"} 1');
    expect(body).toContain('sb_connector_http_retries_total{connector="payoneer",failure_type="rate_limited"} 1');
    expect(body).toContain('sb_connector_circuit_state{connector="payoneer",host="https://api.sandbox.payoneer.com"} 2');
    expect(body).toContain('sb_connector_credential_requests_total{connector="payoneer",outcome="obtained"} 1');
  });

  it('keeps two runtimes in one process apart (own registries)', async () => {
    const a = new RuntimeMetrics();
    const b = new RuntimeMetrics();
    a.eventReceived('orders');
    expect((await b.render()).body).not.toContain('sb_flow_events_in_total{flow="orders"}');
  });
});
