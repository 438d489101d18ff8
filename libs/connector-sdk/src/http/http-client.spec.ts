import { setTimeout as sleep } from 'node:timers/promises';

import { ConnectorError } from '../errors/connector-error';
import {
  type BreakerStateEvent,
  type HttpAttemptEvent,
  type HttpRetryEvent,
} from '../observe/connector-observer';
import {
  deadUrl,
  type LocalServer,
  sendJson,
  startLocalServer,
} from '../test-support/local-server';
import { backoffCeiling } from './full-jitter-backoff';
import { type HttpClient, createHttpClient } from './http-client';
import { type HttpPolicyOverrides, resolveHttpPolicy } from './http-policy';
import { HttpStatusError } from './http-status-error';

/** Small waits so the suite stays fast; each test overrides what it exercises. */
const FAST: HttpPolicyOverrides = {
  timeoutMs: 2_000,
  retry: { maxAttempts: 4, initialDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 5_000 },
  breaker: { consecutiveFailures: 50, halfOpenAfterMs: 1_000 },
};

interface Observed {
  retries: HttpRetryEvent[];
  attempts: HttpAttemptEvent[];
  breaker: BreakerStateEvent[];
}

const servers: LocalServer[] = [];
const clients: HttpClient[] = [];

async function server(handler: Parameters<typeof startLocalServer>[0]): Promise<LocalServer> {
  const started = await startLocalServer(handler);
  servers.push(started);
  return started;
}

function client(
  baseUrls: string[],
  policy: HttpPolicyOverrides = {},
  extra: Partial<Parameters<typeof createHttpClient>[0]> = {},
) {
  const observed: Observed = { retries: [], attempts: [], breaker: [] };
  const created = createHttpClient({
    connectorId: 'test',
    baseUrls,
    policy: resolveHttpPolicy(FAST, policy),
    observer: {
      httpRetry: (event) => observed.retries.push(event),
      httpAttempt: (event) => observed.attempts.push(event),
      breakerStateChanged: (event) => observed.breaker.push(event),
    },
    ...extra,
  });
  clients.push(created);
  return { http: created, observed };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((created) => created.close()));
  await Promise.all(servers.splice(0).map((started) => started.close()));
});

describe('HttpClient', () => {
  it('answers parsed JSON from the base URL path', async () => {
    const remote = await server((request, response) =>
      sendJson(response, 200, { path: request.path }),
    );
    const { http } = client([`${remote.url}/api/v1`]);
    const response = await http.get<{ path: string }>('/orders', {
      query: { page: 2, skip: undefined },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ path: '/api/v1/orders?page=2' });
  });

  it('honours Retry-After on 429 before trying again', async () => {
    let calls = 0;
    const remote = await server((_request, response) => {
      calls += 1;
      if (calls === 1) sendJson(response, 429, { error: 'slow down' }, { 'retry-after': '1' });
      else sendJson(response, 200, { ok: true });
    });
    const { http, observed } = client([remote.url]);

    const response = await http.get('/balance');

    expect(response.body).toEqual({ ok: true });
    expect(observed.retries).toEqual([
      expect.objectContaining({
        retry: 1,
        delayMs: 1_000,
        failureType: 'rate_limited',
        status: 429,
      }),
    ]);
    const [first, second] = remote.requests;
    // Only a lower bound: a loaded machine can make the gap longer, never shorter.
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('honours Retry-After on 503 as a transient failure', async () => {
    let calls = 0;
    const remote = await server((_request, response) => {
      calls += 1;
      if (calls === 1) sendJson(response, 503, { error: 'maintenance' }, { 'retry-after': '0' });
      else sendJson(response, 200, { ok: true });
    });
    const { http, observed } = client([remote.url]);
    await http.get('/balance');
    expect(observed.retries).toEqual([
      expect.objectContaining({ delayMs: 0, failureType: 'transient', status: 503 }),
    ]);
  });

  it('does not wait out a Retry-After longer than the policy allows: fails at once with retryAfterMs', async () => {
    const remote = await server((_request, response) =>
      sendJson(response, 429, {}, { 'retry-after': '120' }),
    );
    const { http } = client([remote.url], { retry: { maxRetryAfterMs: 10_000 } });

    const failure = await http.get('/balance').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ConnectorError);
    expect(failure).toMatchObject({
      failureType: 'rate_limited',
      retryAfterMs: 120_000,
      status: 429,
      code: 'HTTP_429',
    });
    expect(remote.requests).toHaveLength(1);
  });

  it('backs off exponentially with full jitter, each delay within its bound, then gives up', async () => {
    const remote = await server((_request, response) =>
      sendJson(response, 502, { error: 'bad gateway' }),
    );
    const bounds = { initialDelayMs: 4, maxDelayMs: 10 };
    const { http, observed } = client([remote.url], { retry: { maxAttempts: 5, ...bounds } });

    await expect(http.get('/payouts')).rejects.toMatchObject({
      failureType: 'transient',
      status: 502,
    });

    expect(remote.requests).toHaveLength(5);
    expect(observed.retries.map((event) => event.retry)).toEqual([1, 2, 3, 4]);
    for (const event of observed.retries) {
      expect(event.delayMs).toBeGreaterThanOrEqual(0);
      expect(event.delayMs).toBeLessThanOrEqual(backoffCeiling(event.retry, bounds));
    }
    expect(backoffCeiling(4, bounds)).toBe(10);
  });

  it('does not repeat a non-idempotent POST after a 500, but does when it is marked idempotent', async () => {
    let calls = 0;
    const remote = await server((_request, response) => {
      calls += 1;
      if (calls === 1) sendJson(response, 500, { error: 'boom' });
      else sendJson(response, 201, { id: 'payout-1' });
    });
    const { http } = client([remote.url]);

    await expect(http.post('/payouts', { amount: 10 })).rejects.toMatchObject({
      failureType: 'transient',
      status: 500,
    });
    expect(remote.requests).toHaveLength(1);

    calls = 0;
    const response = await http.post('/payouts', { amount: 10 }, { idempotent: true });
    expect(response.status).toBe(201);
    expect(remote.requests).toHaveLength(3);
  });

  it('opens the breaker after consecutive host failures, fails fast while open, and half-opens to recover', async () => {
    let healthy = false;
    const remote = await server((_request, response) =>
      healthy ? sendJson(response, 200, { ok: true }) : sendJson(response, 503, {}),
    );
    const { http, observed } = client([remote.url], {
      retry: { maxAttempts: 1 },
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 100 },
    });

    for (let call = 0; call < 3; call += 1)
      await expect(http.get('/orders')).rejects.toMatchObject({ status: 503 });
    expect(http.breakerState(remote.url)).toBe('open');

    await expect(http.get('/orders')).rejects.toMatchObject({
      failureType: 'transient',
      code: 'CIRCUIT_OPEN',
    });
    expect(remote.requests).toHaveLength(3);

    healthy = true;
    await sleep(150); // longer than halfOpenAfterMs: the next call is the half-open probe
    await expect(http.get('/orders')).resolves.toMatchObject({ status: 200 });
    expect(http.breakerState(remote.url)).toBe('closed');
    expect(observed.breaker.map((event) => event.state)).toEqual(['open', 'half_open', 'closed']);
    expect(observed.breaker[0]).toMatchObject({ connectorId: 'test', host: remote.url });
  });

  it('does not count 4xx answers against the host', async () => {
    const remote = await server((_request, response) =>
      sendJson(response, 404, { error: 'no such order' }),
    );
    const { http } = client([remote.url], {
      retry: { maxAttempts: 1 },
      breaker: { consecutiveFailures: 2 },
    });
    for (let call = 0; call < 4; call += 1)
      await expect(http.get('/orders/x')).rejects.toMatchObject({ status: 404 });
    expect(http.breakerState(remote.url)).toBe('closed');
    expect(remote.requests).toHaveLength(4);
  });

  it('uses the fallback base URL when the primary is down, and skips the primary while its breaker is open', async () => {
    const primary = await deadUrl();
    const fallback = await server((request, response) =>
      sendJson(response, 200, { served: request.path }),
    );
    const { http, observed } = client([`${primary}/api`, `${fallback.url}/api`], {
      retry: { maxAttempts: 1 },
      breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 },
    });

    // A POST may fall back too: a refused connection proves the primary never saw it.
    const first = await http.post('/payouts', { amount: 1 });
    expect(first.url).toBe(`${fallback.url}/api/payouts`);
    expect(first.body).toEqual({ served: '/api/payouts' });
    expect(observed.attempts[0]).toMatchObject({
      host: primary,
      outcome: 'transient',
      status: undefined,
    });

    const second = await http.get('/balance');
    expect(second.url).toBe(`${fallback.url}/api/balance`);
    expect(observed.attempts.filter((attempt) => attempt.host === primary)).toHaveLength(1);
    expect(fallback.requests).toHaveLength(2);
  });

  it('times out a slow attempt as a transient failure', async () => {
    const remote = await server(async (_request, response) => {
      await sleep(1_000);
      sendJson(response, 200, {});
    });
    const { http } = client([remote.url], { retry: { maxAttempts: 1 } });
    await expect(http.get('/slow', { timeoutMs: 50 })).rejects.toMatchObject({
      failureType: 'transient',
      code: 'TIMEOUT',
    });
  });

  it('classifies 4xx by default and lets the connector refine a failure from the body', async () => {
    const remote = await server((request, response) =>
      request.path === '/payouts'
        ? sendJson(response, 400, {
            error_details: { code: 10301 },
            error_description: 'insufficient funds',
          })
        : sendJson(response, 401, { error: 'Unauthorized' }),
    );
    const { http } = client(
      [remote.url],
      {},
      {
        classifyError: (failure) =>
          failure instanceof HttpStatusError &&
          (failure.response.body as { error_details?: { code?: number } }).error_details?.code ===
            10301
            ? new ConnectorError('business', 'insufficient funds', {
                code: 'INSUFFICIENT_FUNDS',
                cause: failure,
              })
            : undefined,
      },
    );

    await expect(http.post('/payouts', {})).rejects.toMatchObject({
      failureType: 'business',
      code: 'INSUFFICIENT_FUNDS',
    });
    const unauthorized = await http.get('/balance').catch((error: unknown) => error);
    expect(unauthorized).toBeInstanceOf(HttpStatusError);
    expect(unauthorized).toMatchObject({
      failureType: 'config',
      status: 401,
      message: expect.stringContaining('Unauthorized'),
    });
  });

  it('spaces requests to the per-connector rate limit', async () => {
    const remote = await server((_request, response) => sendJson(response, 200, {}));
    const { http } = client([remote.url], { rateLimit: { requestsPerSecond: 20, burst: 1 } });

    await Promise.all(Array.from({ length: 5 }, () => http.get('/orders')));

    const times = remote.requests.map((request) => request.receivedAt);
    // Five requests at 20/s with no burst need at least four 50 ms intervals.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(180);
  });

  it('caps concurrent requests per connector', async () => {
    let inFlight = 0;
    let peak = 0;
    const remote = await server(async (_request, response) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await sleep(20);
      inFlight -= 1;
      sendJson(response, 200, {});
    });
    const { http } = client([remote.url], { maxConcurrent: 2 });
    await Promise.all(Array.from({ length: 8 }, () => http.get('/orders')));
    expect(peak).toBe(2);
    expect(remote.requests).toHaveLength(8);
  });

  it('refuses a base URL that is not http(s), naming it', () => {
    expect(() => createHttpClient({ connectorId: 'erp', baseUrls: ['ftp://erp.local'] })).toThrow(
      'connector "erp": base URL #1 "ftp://erp.local" must be http(s)',
    );
  });
});
