import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { signWebhookPayload } from '@switchboard/connector-sdk';
import { KafkaEventBus, type DeliveredMessage } from '@switchboard/event-bus';
import { createTestDatabase } from '@switchboard/persistence';
import { eventually } from './support/eventually';
import { startRestartableKafka, type RestartableKafka } from './support/kafka';
import { RuntimeProcess, type RuntimeProcessOptions } from './support/runtime-process';

// The runtime on real Kafka and PostgreSQL, as separate processes: several instances sharing the
// work, one killed with SIGKILL mid-stream, a broker restart, and a poison event in the DLQ.

const WEBHOOK_SECRET = 'whsec_kafka_e2e';
const ADMIN_KEY = `sb_${randomBytes(18).toString('base64url')}`;
const KEYS = 20;
const EVENTS_PER_KEY = 20;

/** The sink behind the test-shop connector: what it stored first per idempotency key, in arrival order. */
class OrderSink {
  /** Idempotency key → [order id, sequence] of the first stored request. */
  readonly stored = new Map<string, { orderId: string; seq: number }>();
  /** Order id → sequences in the order they were first stored. */
  readonly sequences = new Map<string, number[]>();
  requests = 0;
  private readonly failing = new Set<string>();
  private server: Server | undefined;

  /** Requests for this order answer 503 until `heal`. */
  failOrder(orderId: string): void {
    this.failing.add(orderId);
  }

  heal(orderId: string): void {
    this.failing.delete(orderId);
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void this.answer(request).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  private async answer(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') return { status: 200, body: { ok: true } };
    if (request.method !== 'POST' || url.pathname !== '/sink/orders') return { status: 404, body: { error: 'not found' } };
    this.requests += 1;
    const order = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: { sourceId: string }; totals: { total: { amount: string } } };
    const orderId = order.id.sourceId;
    if (this.failing.has(orderId)) return { status: 503, body: { error: `order ${orderId} cannot be stored right now` } };
    const key = String(request.headers['idempotency-key'] ?? '');
    if (!this.stored.has(key)) {
      const seq = Number.parseInt(order.totals.total.amount, 10);
      this.stored.set(key, { orderId, seq });
      this.sequences.set(orderId, [...(this.sequences.get(orderId) ?? []), seq]);
    }
    return { status: 200, body: { stored: true } };
  }
}

/** Two flows with ids of their own (the shared broker serves other suites): webhook → canonical topic → sink. */
function writeFlows(suffix: string): { flowsDir: string; mappingsDir: string; ingestFlow: string; sinkFlow: string; canonicalTopic: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sb-kafka-flows-'));
  const flowsDir = join(dir, 'flows');
  const mappingsDir = join(dir, 'mappings');
  cpSync(resolve(__dirname, 'fixtures/runtime/mappings'), mappingsDir, { recursive: true });
  cpSync(resolve(__dirname, 'fixtures/runtime/flows'), flowsDir, { recursive: true, filter: (path) => !path.endsWith('.yaml') });
  const ingestFlow = `kx-${suffix}-ingest`;
  const sinkFlow = `kx-${suffix}-sink`;
  const canonicalTopic = `test.kx-${suffix}.order.v1`;
  writeFileSync(
    join(flowsDir, `${ingestFlow}.yaml`),
    [
      `id: ${ingestFlow}`,
      'version: 1',
      'trigger:',
      '  webhook: { connector: test-shop, event: order.created }',
      'transform:',
      '  mapping: shop-to-canonical/order.jsonata',
      '  output: canonical.order@1',
      'target:',
      `  topic: ${canonicalTopic}`,
      'key: "id"',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(flowsDir, `${sinkFlow}.yaml`),
    [
      `id: ${sinkFlow}`,
      'version: 1',
      'trigger:',
      `  topic: ${canonicalTopic}`,
      'target:',
      '  action: { connector: test-shop, name: recordOrder }',
      'key: "id.sourceId"',
      'retry: { maxAttempts: 3, backoff: exponential, initialMs: 20, maxMs: 100, jitter: none, retryOn: [transient, rate_limited] }',
      '',
    ].join('\n'),
  );
  return { flowsDir, mappingsDir, ingestFlow, sinkFlow, canonicalTopic };
}

/** A webhook sender as a shop would be: signs each delivery afresh and retries 503s and refused connections. */
class WebhookSender {
  readonly accepted = new Set<string>();
  unavailableAnswers = 0;
  private deliveries = 0;

  constructor(private readonly targets: () => RuntimeProcess[]) {}

  /** Delivers one order event; resolves once a runtime answered 202, trying the instances in turn. */
  async send(orderId: string, seq: number): Promise<void> {
    const eventId = `evt-${orderId}-${seq}`;
    for (let attempt = 0; ; attempt++) {
      const targets = this.targets();
      const runtime = targets[(seq + attempt) % targets.length]!;
      const status = await this.post(runtime, eventId, { id: orderId, currency: 'EUR', total: `${seq}.00`, createdAt: '2026-11-24T10:00:00Z' });
      if (status === 202) {
        this.accepted.add(eventId);
        return;
      }
      if (status === 503) this.unavailableAnswers += 1;
      else if (status !== 0) throw new Error(`webhook ${eventId} to ${runtime.name} answered ${status}`);
      if (attempt > 600) throw new Error(`webhook ${eventId} was never accepted`);
      await sleep(200);
    }
  }

  /** One delivery: the HTTP status, or 0 when the runtime could not be reached. */
  async post(runtime: RuntimeProcess, eventId: string, order: Record<string, unknown>): Promise<number> {
    // A fresh body per delivery: the signature replay cache refuses a byte-identical redelivery.
    const raw = JSON.stringify({ id: eventId, type: 'order.created', delivery: ++this.deliveries, order });
    try {
      const response = await fetch(`${runtime.url}/hooks/test-shop/order.created`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-shop-signature': signWebhookPayload({ secret: WEBHOOK_SECRET, rawBody: raw, timestamp: Math.floor(Date.now() / 1000) }) },
        body: raw,
        signal: AbortSignal.timeout(20_000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      // Refused or reset: the instance is gone (killed) or restarting; the sender tries again.
      return 0;
    }
  }
}

/** Sends every key's events in order (a key's next event only after the previous one got 202), keys in parallel. */
async function sendStream(sender: WebhookSender, keys: string[], from: number, to: number): Promise<void> {
  await Promise.all(
    keys.map(async (orderId) => {
      for (let seq = from; seq <= to; seq++) await sender.send(orderId, seq);
    }),
  );
}

function expectInOrderExactlyOnce(sink: OrderSink, keys: string[], eventsPerKey: number): void {
  const expected = Array.from({ length: eventsPerKey }, (_, index) => index + 1);
  for (const orderId of keys) expect({ orderId, sequences: sink.sequences.get(orderId) }).toEqual({ orderId, sequences: expected });
  const storedForKeys = [...sink.stored.values()].filter((entry) => keys.includes(entry.orderId));
  expect(storedForKeys).toHaveLength(keys.length * eventsPerKey);
}

/** Awaits `work`, or fails after `ms` with what the runtime printed, so a stall explains itself. */
async function withDeadline<T>(work: Promise<T>, ms: number, what: string, runtime: RuntimeProcess): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}\nruntime ${runtime.name} output:\n${runtime.recentOutput()}`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function baseOptions(
  name: string,
  kafkaBrokers: string[],
  database: { url: string; schema: string },
  flows: { flowsDir: string; mappingsDir: string },
  shopUrl: string,
  masterKey: string,
): RuntimeProcessOptions {
  return { name, kafkaBrokers, database, flowsDir: flows.flowsDir, mappingsDir: flows.mappingsDir, shopUrl, masterKey, adminKey: ADMIN_KEY };
}

describe('runtime on Kafka: two instances, one killed mid-stream; DLQ and bus admin', () => {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);
  const masterKey = randomBytes(32).toString('base64');
  const suffix = randomBytes(4).toString('hex');
  const flows = writeFlows(suffix);
  const keys = Array.from({ length: KEYS }, (_, index) => `o${suffix}${index}`);
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sink: OrderSink;
  let first: RuntimeProcess | undefined;
  let survivor: RuntimeProcess | undefined;
  let observer: KafkaEventBus | undefined;

  beforeAll(async () => {
    if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set: run this suite with --selectProjects e2e');
    database = await createTestDatabase();
    sink = new OrderSink();
    const shopUrl = await sink.start();
    const options = (name: string): RuntimeProcessOptions => baseOptions(name, brokers, database, flows, shopUrl, masterKey);
    first = await RuntimeProcess.start(options(`a-${suffix}`));
    survivor = await RuntimeProcess.start(options(`b-${suffix}`));
    const secret = await survivor.api('PUT', '/api/secrets/test-shop.webhookSecret', { value: WEBHOOK_SECRET });
    expect(`${secret.status} ${JSON.stringify(secret.json)}`).toMatch(/^200 /);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([first?.stop(), survivor?.stop()]);
    await observer?.disconnect();
    await sink?.stop();
    await database?.drop();
  }, 60_000);

  it('delivers every keyed event exactly once and in order per key when an instance dies with SIGKILL mid-stream', async () => {
    const alive = [first!, survivor!];
    const sender = new WebhookSender(() => alive);
    const total = KEYS * EVENTS_PER_KEY;
    const stream = sendStream(sender, keys, 1, EVENTS_PER_KEY);
    // Mid-stream: a third of the effects happened, more events are in flight on both instances.
    await eventually(() => sink.stored.size >= total / 3, 60_000, `a third of ${total} orders stored`);
    await first!.kill();
    alive.splice(0, 1);
    await stream;
    expect(sender.accepted.size).toBe(total);
    await eventually(() => sink.stored.size >= total, 90_000, `all ${total} orders stored (have ${sink.stored.size})`).catch((error: Error) => {
      throw new Error(`${error.message}\nsurvivor output:\n${survivor!.recentOutput()}`);
    });
    expectInOrderExactlyOnce(sink, keys, EVENTS_PER_KEY);
    // Nothing is left behind: the survivor's groups caught up on every partition, the dead instance's included.
    const bus = await eventually(async () => {
      const answer = await survivor!.api<{ flows: Array<{ flowId: string; totalLag: number }> }>('GET', '/api/bus');
      const ours = answer.json.flows.filter((flow) => flow.flowId === flows.ingestFlow || flow.flowId === flows.sinkFlow);
      return ours.length === 2 && ours.every((flow) => flow.totalLag === 0) ? answer : undefined;
    }, 30_000, 'zero lag on both flows');
    expect(bus.status).toBe(200);
  });

  it('lists topics and lag per flow on GET /api/bus', async () => {
    const { status, json } = await survivor!.api<{
      transport: string;
      durable: boolean;
      topics: Array<{ name: string; partitions: number }>;
      flows: Array<{ flowId: string; group: string; lag: Array<{ topic: string; partition: number; lag: number }>; totalLag: number }>;
    }>('GET', '/api/bus');
    expect(status).toBe(200);
    expect(json).toMatchObject({ transport: 'kafka', durable: true });
    // Created on boot with the configured partitions: trigger, delay and DLQ topics per flow.
    for (const name of [`sb.in.${flows.ingestFlow}`, `sb.delay.${flows.ingestFlow}`, `sb.dlq.${flows.ingestFlow}`, flows.canonicalTopic, `sb.dlq.${flows.sinkFlow}`]) {
      expect(json.topics).toContainEqual({ name, partitions: 6 });
    }
    const ingest = json.flows.find((flow) => flow.flowId === flows.ingestFlow)!;
    expect(ingest.group).toBe(`sb.flow.${flows.ingestFlow}`);
    expect(ingest.lag).toHaveLength(12);
    expect(ingest.lag).toContainEqual({ topic: `sb.in.${flows.ingestFlow}`, partition: 0, lag: 0 });
  });

  it('dead-letters a poison event to its DLQ topic with error headers; lists it and replays it through the admin API', async () => {
    const poison = `poison-${suffix}`;
    sink.failOrder(poison);
    const sender = new WebhookSender(() => [survivor!]);
    await sender.send(poison, 1);

    const letter = await eventually(async () => {
      const page = await survivor!.api<{ items: Array<{ id: string; key: string; attempts: number; failureType: string; status: string }> }>(
        'GET',
        `/api/dlq?flowId=${flows.sinkFlow}&status=pending`,
      );
      return page.json.items.find((item) => item.key === poison);
    }, 30_000, 'the poison event listed in the DLQ');
    expect(letter).toMatchObject({ attempts: 3, failureType: 'transient' });

    const dlqMessages: DeliveredMessage[] = [];
    observer = new KafkaEventBus({ brokers, clientId: `observer-${suffix}` });
    await observer.connect();
    await observer.subscribe({ groupId: `observer-${suffix}`, topics: [`sb.dlq.${flows.sinkFlow}`], fromBeginning: true, handler: async (message) => void dlqMessages.push(message) });
    const dead = await eventually(() => dlqMessages.find((message) => message.key === poison), 30_000, 'the poison event on its DLQ topic');
    expect(dead.headers).toMatchObject({
      'sb.errors.topic': flows.canonicalTopic,
      'sb.errors.partition': expect.stringMatching(/^[0-5]$/),
      'sb.errors.offset': expect.stringMatching(/^\d+$/),
      'sb.errors.flow.id': flows.sinkFlow,
      'sb.errors.flow.version': '1',
      'sb.errors.failure.type': 'transient',
      'sb.errors.exception.class.name': expect.any(String),
      'sb.errors.exception.message': expect.stringMatching(/\S/),
      'sb.errors.attempts': '3',
    });
    expect(dead.value).toMatchObject({ id: { sourceId: poison } });

    sink.heal(poison);
    const replay = await survivor!.api('POST', `/api/dlq/${letter.id}/replay`, {});
    expect(replay.status).toBe(200);
    await eventually(() => sink.sequences.get(poison)?.length === 1, 30_000, 'the replayed poison event stored');
    expect((await survivor!.api<{ status: string }>('GET', `/api/dlq/${letter.id}`)).json.status).toBe('replayed');
  });

  it('resets a flow group to a timestamp and refuses a bad target with a clear 400', async () => {
    const bad = await survivor!.api<{ message: string }>('POST', `/api/bus/flows/${flows.ingestFlow}/offsets/reset`, { to: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('to must be "earliest", "latest" or {"timestamp"');
    const unknown = await survivor!.api('POST', `/api/bus/flows/no-such-flow/offsets/reset`, { to: 'latest' });
    expect(unknown.status).toBe(404);

    const storedBefore = sink.stored.size;
    const reset = await survivor!.api<{ group: string; offsets: Array<{ topic: string; partition: number; offset: string }> }>(
      'POST',
      `/api/bus/flows/${flows.sinkFlow}/offsets/reset`,
      { to: { timestamp: new Date().toISOString() } },
    );
    expect(`${reset.status} ${JSON.stringify(reset.json)}`).toMatch(/^200 /);
    expect(reset.json.group).toBe(`sb.flow.${flows.sinkFlow}`);
    expect(reset.json.offsets.filter((entry) => entry.topic === flows.canonicalTopic)).toHaveLength(6);
    // The workers run again after the reset: a new event still reaches the sink.
    const sender = new WebhookSender(() => [survivor!]);
    await sender.send(`after-reset-${suffix}`, 1);
    await eventually(() => sink.stored.size === storedBefore + 1, 30_000, 'the event sent after the reset stored');
  });
});

describe('runtime on Kafka: the broker restarts mid-stream', () => {
  const masterKey = randomBytes(32).toString('base64');
  const suffix = randomBytes(4).toString('hex');
  const flows = writeFlows(suffix);
  const keys = Array.from({ length: 10 }, (_, index) => `r${suffix}${index}`);
  const eventsPerKey = 30;
  let kafka: RestartableKafka | undefined;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sink: OrderSink;
  let runtime: RuntimeProcess | undefined;

  beforeAll(async () => {
    kafka = await startRestartableKafka();
    database = await createTestDatabase();
    sink = new OrderSink();
    const shopUrl = await sink.start();
    runtime = await RuntimeProcess.start(baseOptions(`r-${suffix}`, kafka.brokers, database, flows, shopUrl, masterKey));
    const secret = await runtime.api('PUT', '/api/secrets/test-shop.webhookSecret', { value: WEBHOOK_SECRET });
    expect(secret.status).toBe(200);
  }, 240_000);

  afterAll(async () => {
    await runtime?.stop();
    await kafka?.stop();
    await sink?.stop();
    await database?.drop();
  }, 60_000);

  // The outage, the senders' retries and the consumers' restarts can outlast the default e2e timeout.
  it('answers 503 while the broker is down, and loses no accepted event once it is back', async () => {
    const sender = new WebhookSender(() => [runtime!]);
    await sendStream(sender, keys, 1, 10);
    await kafka!.halt();

    // While Kafka cannot take writes: readiness says so and a webhook gets 503, never 202.
    await eventually(async () => (await fetch(`${runtime!.url}/health/ready`)).status === 503, 30_000, 'readiness to report the bus down');
    const probe = await sender.post(runtime!, `evt-probe-${suffix}`, { id: `probe-${suffix}`, currency: 'EUR', total: '1.00', createdAt: '2026-11-24T10:00:00Z' });
    expect(probe).toBe(503);

    // The senders keep going (and retrying) through the outage; the broker comes back meanwhile.
    const stream = sendStream(sender, keys, 11, eventsPerKey);
    await eventually(() => sender.unavailableAnswers >= keys.length, 30_000, 'the senders to see 503s during the outage');
    await kafka!.resume();
    await withDeadline(stream, 90_000, 'every event accepted after the broker restart', runtime!);
    await eventually(async () => (await fetch(`${runtime!.url}/health/ready`)).status === 200, 60_000, 'readiness after the broker restart');

    expect(sender.accepted.size).toBe(keys.length * eventsPerKey);
    await eventually(() => keys.every((orderId) => sink.sequences.get(orderId)?.length === eventsPerKey), 90_000, `every accepted order stored (have ${sink.stored.size})`).catch((error: Error) => {
      throw new Error(`${error.message}\nruntime output:\n${runtime!.recentOutput()}`);
    });
    expectInOrderExactlyOnce(sink, keys, eventsPerKey);
  }, 240_000);
});
