import { randomBytes } from 'node:crypto';
import { MemoryEventBus } from '@switchboard/event-bus';
import { AuditLogRepository, createTestDatabase, DeadLetterRepository } from '@switchboard/persistence';
import { startRuntime, type RunningRuntime } from '../apps/runtime/src/runtime';
import { ADMIN_HEADERS, bootRuntime, copyFixtureFlows, testRuntimeConfig } from './support/runtime-harness';
import { ShopServer } from './support/shop-server';

interface Answer {
  status: number;
  json: any;
  headers: Headers;
}

describe('access control: API keys and roles (real PostgreSQL, real HTTP)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let shop: ShopServer;
  let runtime: RunningRuntime;
  let bus: MemoryEventBus;
  let viewerKey: string;
  let operatorKey: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    shop = new ShopServer();
    const shopUrl = await shop.start();
    bus = new MemoryEventBus();
    await bus.connect();
    runtime = await bootRuntime({ database: { url: database.url, schema: database.schema }, ...copyFixtureFlows(), shopUrl, bus, masterKey: randomBytes(32).toString('base64') });
    viewerKey = (await call('POST', '/api/keys', ADMIN_HEADERS, { name: 'dashboard-viewer', role: 'viewer' })).json.key;
    operatorKey = (await call('POST', '/api/keys', ADMIN_HEADERS, { name: 'ops-oncall', role: 'operator' })).json.key;
    expect((await call('PUT', '/api/secrets/test-shop.webhookSecret', ADMIN_HEADERS, { value: 'whsec_test_only' })).status).toBe(200);
  });

  afterAll(async () => {
    await runtime?.close();
    await bus?.disconnect();
    await shop?.stop();
    await database?.drop();
  });

  async function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown = text;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch (error) {
      void error; // /metrics answers text
    }
    return { status: response.status, json, headers: response.headers };
  }

  const as = (key: string): Record<string, string> => ({ 'x-api-key': key });

  async function pendingDeadLetter(): Promise<string> {
    const letter = await new DeadLetterRepository(database.dataSource).insert({
      flowId: 'order-to-sink',
      flowVersion: 1,
      eventId: `evt-${randomBytes(4).toString('hex')}`,
      key: 'rbac-1',
      envelope: { id: 'evt-rbac', key: 'rbac-1', headers: {}, payload: { id: { source: 'clarity', sourceId: 'rbac-1' } }, correlationId: 'c-1', receivedAt: new Date().toISOString() },
      errorClass: 'HTTP_503',
      errorMessage: 'sink unavailable',
      failureType: 'transient',
      attempts: 3,
    });
    return letter.id;
  }

  it('refuses the admin API without a key, or with an unknown one, with the usual error body', async () => {
    const none = await call('GET', '/api/executions');
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ error: 'unauthorized', message: expect.stringContaining('x-api-key'), path: '/api/executions' });
    const unknown = await call('GET', '/api/executions', as(`sb_${randomBytes(32).toString('base64url')}`));
    expect(unknown.status).toBe(401);
    expect(unknown.json.message).toContain('unknown or revoked');
  });

  it('keeps health and metrics open, and the ingress authenticated by signature rather than key', async () => {
    expect((await call('GET', '/health')).status).toBe(200);
    expect((await call('GET', '/health/ready')).status).toBe(200);
    const metrics = await call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.json).toContain('sb_flow_events_in_total');
    const unsigned = await call('POST', '/hooks/test-shop/order.created', {}, { id: 'evt-x', type: 'order.created', order: { id: 'x' } });
    expect(unsigned.status).toBe(401);
    expect(unsigned.json.error).toBe('webhook_rejected');
  });

  it('lets a viewer read but not replay, discard, manage keys or secrets', async () => {
    const viewer = as(viewerKey);
    expect((await call('GET', '/api/executions', viewer)).status).toBe(200);
    expect((await call('GET', '/api/dlq', viewer)).status).toBe(200);
    expect((await call('GET', '/api/flows', viewer)).status).toBe(200);
    expect((await call('GET', '/api/alerts', viewer)).status).toBe(200);
    const id = await pendingDeadLetter();
    const replay = await call('POST', `/api/dlq/${id}/replay`, viewer, {});
    expect(replay.status).toBe(403);
    expect(replay.json).toMatchObject({ error: 'forbidden', message: expect.stringContaining('needs role operator'), details: { required: 'operator', role: 'viewer' } });
    expect((await call('POST', `/api/dlq/${id}/discard`, viewer, { reason: 'not mine' })).status).toBe(403);
    expect((await call('GET', '/api/keys', viewer)).status).toBe(403);
    expect((await call('GET', '/api/secrets', viewer)).status).toBe(403);
    expect((await call('GET', `/api/dlq/${id}`, viewer)).json.status).toBe('pending');
  });

  it('lets an operator replay dead letters but not manage keys or secrets, and audits the key that acted', async () => {
    const operator = as(operatorKey);
    const id = await pendingDeadLetter();
    expect((await call('POST', `/api/dlq/${id}/replay`, operator, {})).status).toBe(200);
    expect((await call('GET', `/api/dlq/${id}`, operator)).json.status).toBe('replayed');
    expect((await call('POST', '/api/keys', operator, { name: 'sneaky', role: 'admin' })).status).toBe(403);
    expect((await call('PUT', '/api/secrets/test-shop.apiKey', operator, { value: 'x' })).status).toBe(403);
    expect((await call('DELETE', '/api/secrets/test-shop.apiKey', operator)).status).toBe(403);

    const audit = await new AuditLogRepository(database.dataSource).list({ action: 'dlq.replay', subjectId: id });
    expect(audit.items[0]?.actor).toMatch(/^key:ops-oncall\/sb_/);
  });

  it('lets an admin do all of it, with the key as x-api-key or as a Bearer token', async () => {
    const id = await pendingDeadLetter();
    expect((await call('POST', `/api/dlq/${id}/discard`, ADMIN_HEADERS, { reason: 'fixed by hand in the ERP' })).status).toBe(200);
    const bearer = { authorization: `Bearer ${ADMIN_HEADERS['x-api-key']}` };
    expect((await call('PUT', '/api/secrets/test-shop.apiKey', bearer, { value: 'rotated' })).status).toBe(200);
    expect((await call('GET', '/api/secrets', bearer)).status).toBe(200);
    expect((await call('GET', '/api/keys', bearer)).status).toBe(200);
    const audit = await new AuditLogRepository(database.dataSource).list({ subjectType: 'secret', subjectId: 'test-shop.apiKey' });
    expect(audit.items[0]?.actor).toMatch(/^key:bootstrap-admin\/sb_test-/);
  });

  it('runs a key through its life: created and shown once, works, listed by prefix only, revoked → 401', async () => {
    const created = await call('POST', '/api/keys', ADMIN_HEADERS, { name: 'grafana', role: 'viewer' });
    expect(created.status).toBe(201);
    const key: string = created.json.key;
    expect(key).toMatch(/^sb_[A-Za-z0-9_-]{43}$/);
    expect(created.json).toMatchObject({ id: expect.any(String), name: 'grafana', role: 'viewer', prefix: key.slice(0, 11) });

    const me = await call('GET', '/api/keys/current', as(key));
    expect(me.json).toEqual({ id: created.json.id, name: 'grafana', role: 'viewer', prefix: key.slice(0, 11) });

    const list = await call('GET', '/api/keys?role=viewer', ADMIN_HEADERS);
    const listed = list.json.items.find((item: { id: string }) => item.id === created.json.id);
    expect(listed).toMatchObject({ name: 'grafana', role: 'viewer', prefix: key.slice(0, 11), revokedAt: null, createdBy: expect.stringMatching(/^key:bootstrap-admin\//) });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.json)).not.toContain(key);
    expect(listed).not.toHaveProperty('key');
    expect(listed).not.toHaveProperty('keyHash');
    const [{ key_hash: stored }] = await database.dataSource.query(`SELECT key_hash FROM api_keys WHERE id = $1`, [created.json.id]);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(key);

    expect((await call('DELETE', `/api/keys/${created.json.id}`, ADMIN_HEADERS)).status).toBe(204);
    const after = await call('GET', '/api/executions', as(key));
    expect(after.status).toBe(401);
    expect((await call('DELETE', `/api/keys/${created.json.id}`, ADMIN_HEADERS)).status).toBe(404);
    const active = await call('GET', '/api/keys', ADMIN_HEADERS);
    expect(active.json.items.map((item: { id: string }) => item.id)).not.toContain(created.json.id);
    const all = await call('GET', '/api/keys?includeRevoked=true', ADMIN_HEADERS);
    expect(all.json.items.find((item: { id: string }) => item.id === created.json.id).revokedAt).not.toBeNull();
  });

  it('refuses a key request with a bad role or name, naming the field', async () => {
    const bad = await call('POST', '/api/keys', ADMIN_HEADERS, { name: 'x', role: 'root' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('role');
  });

  it('pages and filters every list', async () => {
    const viewer = as(viewerKey);
    const firstFlow = await call('GET', '/api/flows?limit=1', viewer);
    expect(firstFlow.json).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(firstFlow.json.items).toHaveLength(1);
    const webhookFlows = await call('GET', '/api/flows?trigger=webhook', viewer);
    expect(webhookFlows.json.items.map((flow: { id: string }) => flow.id)).toEqual(['shop-order-created']);
    expect((await call('GET', '/api/flows?trigger=carrier-pigeon', viewer)).status).toBe(400);
    const sinks = await call('GET', '/api/connectors?capability=recordOrder', viewer);
    expect(sinks.json).toMatchObject({ total: 1, items: [expect.objectContaining({ id: 'test-shop' })] });
    expect((await call('GET', '/api/connectors?capability=teleport', viewer)).json.total).toBe(0);
    const secrets = await call('GET', '/api/secrets?prefix=test-shop.&limit=1', ADMIN_HEADERS);
    expect(secrets.json).toMatchObject({ limit: 1, items: [expect.objectContaining({ name: expect.stringMatching(/^test-shop\./) })] });
    expect((await call('GET', '/api/keys?limit=1&offset=1', ADMIN_HEADERS)).json).toMatchObject({ limit: 1, offset: 1, items: [expect.any(Object)] });
  });

  it('documents the API-key scheme and the required role in OpenAPI', async () => {
    const document = await call('GET', '/api/docs-json');
    expect(document.status).toBe(200);
    expect(document.json.components.securitySchemes['api-key']).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    const replay = document.json.paths['/api/dlq/{id}/replay'].post;
    expect(replay['x-required-role']).toBe('operator');
    expect(replay.security).toEqual(expect.arrayContaining([{ 'api-key': [] }]));
    expect(document.json.paths['/api/keys'].post).toBeDefined();
    expect(document.json.paths['/api/alerts/{id}/ack'].post).toBeDefined();
  });
});

describe('access control: rate limits (real HTTP)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let shop: ShopServer;
  let runtime: RunningRuntime;

  beforeAll(async () => {
    database = await createTestDatabase();
    shop = new ShopServer();
    const config = testRuntimeConfig({ database: { url: database.url, schema: database.schema }, ...copyFixtureFlows(), shopUrl: await shop.start(), masterKey: randomBytes(32).toString('base64') });
    config.access.rateLimit = { windowMs: 60_000, api: 3, ingress: 2 };
    config.metrics.requireApiKey = true;
    runtime = await startRuntime(config, { quiet: true });
  });

  afterAll(async () => {
    await runtime?.close();
    await shop?.stop();
    await database?.drop();
  });

  it('answers 429 with Retry-After once a key or a webhook sender exceeds its limit, and leaves health alone', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${runtime.url}/api/flows`, { headers: ADMIN_HEADERS })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await fetch(`${runtime.url}/api/flows`, { headers: ADMIN_HEADERS });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: 'rate_limited', path: '/api/flows' });

    const hooks: number[] = [];
    for (let i = 0; i < 3; i++) {
      hooks.push((await fetch(`${runtime.url}/hooks/test-shop/order.created`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
    }
    expect(hooks[2]).toBe(429);
    expect(hooks.slice(0, 2)).not.toContain(429);
    expect((await fetch(`${runtime.url}/health`)).status).toBe(200);
  });

  it('asks for an API key on /metrics when metrics.requireApiKey is set', async () => {
    const scrape = await fetch(`${runtime.url}/metrics`);
    expect(scrape.status).toBe(401);
    expect(((await scrape.json()) as { error: string }).error).toBe('unauthorized');
  });
});
