import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signWebhookPayload } from '@switchboard/connector-sdk';
import { MemoryEventBus, type DeliveredMessage } from '@switchboard/event-bus';
import { createTestDatabase } from '@switchboard/persistence';
import type { RunningRuntime } from '../apps/runtime/src/runtime';
import { eventually } from './support/eventually';
import { ADMIN_HEADERS, bootRuntime, copyFixtureFlows, type HarnessOptions } from './support/runtime-harness';
import { ShopServer } from './support/shop-server';

const WEBHOOK_SECRET = 'whsec_test_only';

describe('runtime end to end (memory bus, real PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let shop: ShopServer;
  let runtime: RunningRuntime;
  let options: HarnessOptions;
  let bus: MemoryEventBus;
  const canonicalOrders: DeliveredMessage[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    shop = new ShopServer();
    const shopUrl = await shop.start();
    bus = new MemoryEventBus();
    await bus.connect();
    options = { database: { url: database.url, schema: database.schema }, ...copyFixtureFlows(), shopUrl, bus, masterKey: randomBytes(32).toString('base64') };
    runtime = await bootRuntime(options);
    await bus.subscribe({ groupId: 'test-observer', topics: ['test.canonical.order.v1'], fromBeginning: true, handler: async (m) => void canonicalOrders.push(m) });
    const secret = await api('PUT', `/api/secrets/test-shop.webhookSecret`, { value: WEBHOOK_SECRET });
    expect(`${secret.status} ${JSON.stringify(secret.json)}`).toMatch(/^200 /);
  });

  afterAll(async () => {
    await runtime?.close();
    await bus?.disconnect();
    await shop?.stop();
    await database?.drop();
  });

  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: body === undefined ? ADMIN_HEADERS : { ...ADMIN_HEADERS, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  let signedAt = Math.floor(Date.now() / 1000);

  async function sendOrder(order: Record<string, unknown>, overrides: { signature?: string; contentType?: string; raw?: string } = {}): Promise<{ status: number; json: any }> {
    const raw = overrides.raw ?? JSON.stringify({ id: `evt-${String(order.id)}`, type: 'order.created', order });
    const response = await fetch(`${runtime.url}/hooks/test-shop/order.created`, {
      method: 'POST',
      headers: {
        'content-type': overrides.contentType ?? 'application/json',
        // A sender signs each delivery afresh (a new timestamp), so a redelivery is not a replay.
        'x-shop-signature': overrides.signature ?? signWebhookPayload({ secret: WEBHOOK_SECRET, rawBody: raw, timestamp: ++signedAt }),
      },
      body: raw,
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  function order(id: string): Record<string, unknown> {
    return { id, currency: 'EUR', total: '123.45', createdAt: '2026-11-24T10:00:00Z' };
  }

  it('webhook → JSONata → schema-validated canonical topic → connector action', async () => {
    const accepted = await sendOrder(order('1001'));
    expect(accepted.status).toBe(202);
    expect(accepted.json.accepted).toEqual([{ eventId: 'evt-1001', flows: ['shop-order-created'] }]);

    const message = await eventually(() => canonicalOrders.find((m) => m.key === '1001'), 10_000, 'canonical order 1001');
    expect(message.value).toMatchObject({ id: { source: 'clarity', sourceId: '1001' }, totals: { total: { amount: '123.45', currency: 'EUR' } } });
    await eventually(() => shop.stored.size === 1, 10_000, 'the sink to store order 1001');

    const executions = await eventually(async () => {
      const page = await api('GET', '/api/executions?status=succeeded&key=1001');
      return page.json.total === 2 ? page.json : undefined;
    }, 10_000, 'two succeeded executions for key 1001');
    const flows = executions.items.map((e: { flowId: string }) => e.flowId).sort();
    expect(flows).toEqual(['order-to-sink', 'shop-order-created']);
    const detail = await api('GET', `/api/executions/${executions.items[0].id}`);
    expect(detail.json.trace.map((step: { step: string }) => step.step)).toEqual(expect.arrayContaining(['transform', 'deliver']));
  });

  it('absorbs a duplicate delivery of the same event id', async () => {
    const storedBefore = shop.stored.size;
    expect((await sendOrder(order('1002'))).status).toBe(202);
    await eventually(() => shop.stored.size === storedBefore + 1, 10_000, 'order 1002 stored');
    expect((await sendOrder(order('1002'))).status).toBe(202);
    await eventually(async () => (await api('GET', '/api/executions?status=duplicate&key=1002')).json.total >= 1, 10_000, 'duplicate recorded');
    expect(shop.stored.size).toBe(storedBefore + 1);
  });

  it('retries a failing target with back-off, dead-letters it, and a replay after the fix delivers exactly once', async () => {
    shop.failSink(100);
    expect((await sendOrder(order('2001'))).status).toBe(202);
    const letter = await eventually(async () => {
      const page = await api('GET', '/api/dlq?flowId=order-to-sink&status=pending');
      return page.json.items.find((item: { key: string }) => item.key === '2001');
    }, 15_000, 'dead letter for order 2001');
    expect(letter.attempts).toBe(3);
    expect(letter.failureType).toBe('transient');
    // Execution rows are written in batches: the dead letter may be indexed a moment earlier.
    const execution = await eventually(async () => {
      const found = (await api('GET', '/api/executions?flowId=order-to-sink&key=2001')).json.items[0];
      return found?.status === 'dead_lettered' ? found : undefined;
    }, 5_000, 'execution of order 2001 to be dead_lettered');
    expect(execution.attempts).toBe(3);

    shop.failSink(0);
    const storedBefore = shop.stored.size;
    const dry = await api('POST', `/api/dlq/${letter.id}/replay`, { dryRun: true });
    expect(dry.json).toEqual({ dryRun: true, replayed: [letter.id] });
    expect((await api('POST', `/api/dlq/${letter.id}/replay`, {})).status).toBe(200);
    await eventually(() => shop.stored.size === storedBefore + 1, 10_000, 'replayed order stored');
    // A second replay is absorbed by the idempotency guard: the sink still holds one copy.
    expect((await api('POST', `/api/dlq/${letter.id}/replay`, {})).status).toBe(200);
    await eventually(async () => (await api('GET', '/api/executions?status=duplicate&flowId=order-to-sink')).json.total >= 1, 10_000, 'second replay absorbed');
    expect(shop.stored.size).toBe(storedBefore + 1);
    expect((await api('GET', `/api/dlq/${letter.id}`)).json.status).toBe('replayed');
  });

  it('refuses bad webhooks with a clear 4xx and records nothing for them', async () => {
    const wrongType = await sendOrder(order('3001'), { contentType: 'text/plain' });
    expect(wrongType.status).toBe(415);
    expect(wrongType.json).toMatchObject({ error: expect.any(String), message: expect.any(String), path: '/hooks/test-shop/order.created' });
    expect((await sendOrder(order('3002'), { raw: '{"id": "evt-3002", "type": ' })).status).toBe(400);
    expect((await sendOrder(order('3003'), { signature: 't=1,v1=' + '0'.repeat(64) })).status).toBe(401);
    expect((await sendOrder(order('3004'), { raw: JSON.stringify({ id: 'big', type: 'order.created', order: { pad: 'x'.repeat(2 * 1024 * 1024) } }) })).status).toBe(413);
    const unknownEvent = await fetch(`${runtime.url}/hooks/test-shop/order.creatd`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unknownEvent.status).toBe(404);
    expect(((await unknownEvent.json()) as { message: string }).message).toContain('did you mean "test-shop/order.created"');
    for (const key of ['3001', '3002', '3003', '3004']) {
      expect((await api('GET', `/api/executions?key=${key}`)).json.total).toBe(0);
    }
  });

  it('keeps running the last good flow when an edit breaks it, and reports the error', async () => {
    const file = join(options.flowsDir, 'shop-order-created.yaml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('event: order.created', 'event: order.creatd').replace('version: 1', 'version: 2'));
    const flows = await eventually(async () => {
      const list = await api('GET', '/api/flows');
      return list.json.loadErrors.length > 0 ? list.json : undefined;
    }, 10_000, 'the reload error to be reported');
    expect(flows.loadErrors[0].text).toMatch(/shop-order-created\.yaml:\d+ trigger\.webhook\.event: unknown event "order\.creatd"/);
    expect(flows.items.find((f: { id: string }) => f.id === 'shop-order-created').version).toBe(1);

    const storedBefore = shop.stored.size;
    expect((await sendOrder(order('4001'))).status).toBe(202);
    await eventually(() => shop.stored.size === storedBefore + 1, 10_000, 'order 4001 through the old flow');

    writeFileSync(file, good.replace('version: 1', 'version: 2'));
    await eventually(async () => {
      const list = await api('GET', '/api/flows');
      return list.json.loadErrors.length === 0 && list.json.items.find((f: { id: string }) => f.id === 'shop-order-created').version === 2;
    }, 10_000, 'the fixed flow to load as version 2');
  });

  it('keeps dead letters and executions across a restart', async () => {
    const before = (await api('GET', '/api/dlq')).json.total as number;
    const executionsBefore = (await api('GET', '/api/executions')).json.total as number;
    expect(before).toBeGreaterThan(0);
    await runtime.close();
    runtime = await bootRuntime(options);
    expect((await api('GET', '/api/dlq')).json.total).toBe(before);
    expect((await api('GET', '/api/executions')).json.total).toBe(executionsBefore);
    expect((await api('GET', '/health/ready')).json.status).toBe('ready');
    const secrets = await api('GET', '/api/secrets');
    expect(secrets.json.items.map((s: { name: string }) => s.name)).toContain('test-shop.webhookSecret');
    expect(JSON.stringify(secrets.json)).not.toContain(WEBHOOK_SECRET);
  });

  it('answers 404 with the problem for an unknown execution, and 400 for a bad filter', async () => {
    expect((await api('GET', `/api/executions/${randomUUID()}`)).status).toBe(404);
    const bad = await api('GET', '/api/executions?status=exploded');
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('status');
  });
});
