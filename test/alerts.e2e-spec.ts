import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signWebhookPayload } from '@switchboard/connector-sdk';
import { MemoryEventBus } from '@switchboard/event-bus';
import { createTestDatabase } from '@switchboard/persistence';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlertChecks } from '../apps/runtime/src/alerts/alert-checks.service';
import { FlowWorkerService } from '../apps/runtime/src/worker/flow-worker.service';
import { startRuntime, type RunningRuntime } from '../apps/runtime/src/runtime';
import { eventually } from './support/eventually';
import { ADMIN_HEADERS, copyFixtureFlows, testRuntimeConfig } from './support/runtime-harness';
import { ShopServer } from './support/shop-server';

const WEBHOOK_SECRET = 'whsec_alerts_test';

/** A Slack-style incoming webhook on localhost that keeps what it was sent. */
class AlertReceiver {
  readonly received: Array<{ text: string; blocks?: unknown[] }> = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string });
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/services/T000/B000/xyz`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

describe('alerts: a dead-lettered event raises a deduplicated, acknowledgeable alert delivered to a webhook', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let shop: ShopServer;
  let receiver: AlertReceiver;
  let runtime: RunningRuntime;
  let bus: MemoryEventBus;
  let signedAt = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    database = await createTestDatabase();
    shop = new ShopServer();
    const shopUrl = await shop.start();
    receiver = new AlertReceiver();
    const webhookUrl = await receiver.start();
    bus = new MemoryEventBus();
    await bus.connect();
    const config = testRuntimeConfig({ database: { url: database.url, schema: database.schema }, ...copyFixtureFlows(), shopUrl, bus, masterKey: randomBytes(32).toString('base64') });
    config.alerts.webhookUrl = webhookUrl;
    config.alerts.template = '{{severity}}: {{rule}} on {{subject}} — {{message}}';
    runtime = await startRuntime(config, { bus, quiet: true });
    expect((await api('PUT', '/api/secrets/test-shop.webhookSecret', ADMIN_HEADERS, { value: WEBHOOK_SECRET })).status).toBe(200);
  });

  afterAll(async () => {
    await runtime?.close();
    await bus?.disconnect();
    await receiver?.stop();
    await shop?.stop();
    await database?.drop();
  });

  async function api(method: string, path: string, headers: Record<string, string> = ADMIN_HEADERS, body?: unknown): Promise<{ status: number; json: any; text: string }> {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch (error) {
      void error; // /metrics answers text
    }
    return { status: response.status, json, text };
  }

  async function deadLetterOrder(id: string): Promise<void> {
    shop.failSink(100);
    const raw = JSON.stringify({ id: `evt-${id}`, type: 'order.created', order: { id, currency: 'EUR', total: '10.00', createdAt: '2026-11-24T10:00:00Z' } });
    const response = await fetch(`${runtime.url}/hooks/test-shop/order.created`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shop-signature': signWebhookPayload({ secret: WEBHOOK_SECRET, rawBody: raw, timestamp: ++signedAt }) },
      body: raw,
    });
    expect(response.status).toBe(202);
    await eventually(async () => (await api('GET', '/api/dlq?flowId=order-to-sink')).json.items.some((item: { key: string }) => item.key === id), 15_000, `dead letter for order ${id}`);
  }

  it('posts one Slack-compatible message per alert, counts repeats into it, and reopens after an acknowledgement', async () => {
    await deadLetterOrder('5001');
    const alert = await eventually(async () => (await api('GET', '/api/alerts?rule=dlq_growth&subject=order-to-sink')).json.items[0], 10_000, 'the dlq_growth alert');
    expect(alert).toMatchObject({ rule: 'dlq_growth', severity: 'critical', subject: 'order-to-sink', count: 1, acknowledgedAt: null });
    await eventually(() => receiver.received.length === 1, 10_000, 'the alert at the webhook');
    expect(receiver.received[0]!.text).toMatch(/^critical: dlq_growth on order-to-sink — event shop-order-created:evt-5001 of flow order-to-sink was dead-lettered \(transient\)/);
    expect(receiver.received[0]!.blocks).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'section' })]));
    await eventually(async () => (await api('GET', `/api/alerts/${alert.id}`)).json.deliveredAt !== null, 10_000, 'delivery recorded');

    await deadLetterOrder('5002');
    const repeated = await eventually(async () => {
      const found = (await api('GET', `/api/alerts/${alert.id}`)).json;
      return found.count === 2 ? found : undefined;
    }, 10_000, 'the repeat counted into the same alert');
    expect(repeated.message).toContain('evt-5002');
    expect((await api('GET', '/api/alerts?rule=dlq_growth')).json.total).toBe(1);
    expect(receiver.received).toHaveLength(1);

    const viewerKey = (await api('POST', '/api/keys', ADMIN_HEADERS, { name: 'wallboard', role: 'viewer' })).json.key as string;
    expect((await api('POST', `/api/alerts/${alert.id}/ack`, { 'x-api-key': viewerKey }, {})).status).toBe(403);
    const operatorKey = (await api('POST', '/api/keys', ADMIN_HEADERS, { name: 'on-call', role: 'operator' })).json.key as string;
    const acked = await api('POST', `/api/alerts/${alert.id}/ack`, { 'x-api-key': operatorKey }, {});
    expect(acked.status).toBe(200);
    expect(acked.json).toMatchObject({ id: alert.id, acknowledgedBy: expect.stringMatching(/^key:on-call\/sb_/) });
    expect(acked.json.acknowledgedAt).not.toBeNull();
    expect((await api('POST', `/api/alerts/${alert.id}/ack`, { 'x-api-key': operatorKey }, {})).status).toBe(409);
    expect((await api('GET', '/api/alerts?acknowledged=false')).json.total).toBe(0);

    await deadLetterOrder('5003');
    await eventually(() => receiver.received.length === 2, 10_000, 'a new alert after the acknowledgement');
    const open = await eventually(async () => (await api('GET', '/api/alerts?acknowledged=false')).json.items[0], 10_000, 'a new open alert');
    expect(open).toMatchObject({ rule: 'dlq_growth', count: 1 });
    expect(open.id).not.toBe(alert.id);
  });

  it('counts the events, retries and dead letters in /metrics', async () => {
    const metrics = await api('GET', '/metrics', {});
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/sb_flow_events_in_total\{flow="order-to-sink"\} [1-9]/);
    expect(metrics.text).toMatch(/sb_flow_retries_total\{flow="order-to-sink"\} [1-9]/);
    expect(metrics.text).toMatch(/sb_dlq_events_total\{flow="order-to-sink",status="pending",failure_type="transient"\} 3/);
    expect(metrics.text).toMatch(/sb_dlq_open\{flow="order-to-sink"\} 3/);
    expect(metrics.text).toMatch(/sb_alerts_raised_total\{rule="dlq_growth",severity="critical"\} 3/);
    expect(metrics.text).toMatch(/sb_ingress_webhooks_total\{connector="test-shop",status="202"\} 3/);
    expect(metrics.text).toMatch(/sb_connector_http_requests_total\{connector="test-shop",method="POST",status="503",outcome="transient"\} [1-9]/);
    expect(metrics.text).toMatch(/sb_flow_execution_duration_seconds_bucket\{le="\+Inf",flow="order-to-sink"\} [1-9]/);
  });

  it('raises connector_down when a connector\'s system stops answering its health check', async () => {
    const before = receiver.received.length;
    await runtime.app.get(AlertChecks).check();
    expect((await api('GET', '/api/alerts?rule=connector_down')).json.total).toBe(0);
    await shop.stop();
    await runtime.app.get(AlertChecks).check();
    const down = (await api('GET', '/api/alerts?rule=connector_down')).json.items[0];
    expect(down).toMatchObject({ rule: 'connector_down', severity: 'critical', subject: 'test-shop', count: 1 });
    await eventually(() => receiver.received.length === before + 1, 10_000, 'the connector_down alert at the webhook');
    expect(receiver.received[before]!.text).toMatch(/^critical: connector_down on test-shop — test-shop does not answer its health check/);
  });

  it('refuses a bad alert filter and an unknown alert clearly', async () => {
    const bad = await api('GET', '/api/alerts?severity=apocalyptic');
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('severity');
    expect((await api('GET', `/api/alerts/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`)).status).toBe(404);
  });
});

describe('alerts: consumer lag over the threshold (real Kafka)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let shop: ShopServer;
  let runtime: RunningRuntime;
  // Unique per run: suites share one Kafka, and a shared consumer group would steal partitions.
  const flowId = `lag-${randomBytes(4).toString('hex')}`;
  const topic = `test.lag.${flowId}`;

  beforeAll(async () => {
    const brokers = process.env['KAFKA_BROKERS'];
    if (brokers === undefined || brokers === '') throw new Error('KAFKA_BROKERS is not set: run this suite with --selectProjects e2e');
    database = await createTestDatabase();
    shop = new ShopServer();
    const flows = copyFixtureFlows();
    for (const file of readdirSync(flows.flowsDir)) rmSync(join(flows.flowsDir, file));
    writeFileSync(
      join(flows.flowsDir, `${flowId}.yaml`),
      `id: ${flowId}\nversion: 1\ntrigger:\n  topic: ${topic}\ntarget:\n  action: { connector: test-shop, name: recordOrder }\nkey: "id.sourceId"\n`,
    );
    const config = testRuntimeConfig({ database: { url: database.url, schema: database.schema }, ...flows, shopUrl: await shop.start(), masterKey: randomBytes(32).toString('base64') });
    config.bus.transport = 'kafka';
    config.bus.kafka.brokers = brokers.split(',');
    config.bus.kafka.partitions = 1;
    config.alerts.lagThreshold = 2;
    runtime = await startRuntime(config, { quiet: true });
  });

  afterAll(async () => {
    await runtime?.close();
    await shop?.stop();
    await database?.drop();
  });

  it('raises lag_over_threshold for a flow whose workers fall behind', async () => {
    const checks = runtime.app.get(AlertChecks);
    await checks.check();
    expect((await fetch(`${runtime.url}/api/alerts?rule=lag_over_threshold`, { headers: ADMIN_HEADERS }).then((r) => r.json()) as { total: number }).total).toBe(0);

    // With the flow's workers stopped, nothing consumes: what is published is lag.
    await runtime.app.get(FlowWorkerService).withFlowStopped(flowId, async () => {
      await runtime.bus.publish(topic, [1, 2, 3].map((n) => ({ key: `lag-${n}`, value: { id: { source: 'clarity', sourceId: `lag-${n}` } } })));
      await checks.check();
    });
    const page = (await fetch(`${runtime.url}/api/alerts?rule=lag_over_threshold`, { headers: ADMIN_HEADERS }).then((r) => r.json())) as { items: Array<Record<string, unknown>> };
    expect(page.items[0]).toMatchObject({ rule: 'lag_over_threshold', severity: 'warning', subject: flowId, details: { lag: 3, threshold: 2 } });
    const metrics = await fetch(`${runtime.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(new RegExp(`sb_flow_consumer_lag\\{flow="${flowId}"\\} \\d+`));
  });
});
