import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type DeliveredMessage,
  type EventBus,
  KafkaEventBus,
  MemoryEventBus,
} from '@switchboard/event-bus';
import { createTestDatabase, type TestDatabase } from '@switchboard/persistence';
import { startSandbox, type SandboxHandle } from '../apps/sandbox/src/index';
import type { RunningRuntime } from '../apps/runtime/src/runtime';
import { eventually } from './support/eventually';
import { adminApi } from './support/http-clients';
import { bootRuntime } from './support/runtime-harness';

/**
 * Sync through the shipped mappings and status table (mappings/), the Postgres id maps and the
 * id-map API, on the memory bus and on Kafka. Orders and payments are made in the Clarity
 * simulator and read back from its API; topic-triggered flows stand in for the Clarity/Payoneer
 * connectors' triggers, which are not in the tree yet.
 */
const MAPPINGS = resolve(__dirname, '../mappings');

interface SyncTopics {
  rawOrders: string;
  rawPayments: string;
  rawPayouts: string;
  orders: string;
  payments: string;
  payouts: string;
}

function writeFlows(suffix: string): {
  flowsDir: string;
  topics: SyncTopics;
  payoutFlow: string;
  orderFlow: string;
} {
  const dir = join(mkdtempSync(join(tmpdir(), 'sb-sync-')), 'flows');
  mkdirSync(dir);
  const topics: SyncTopics = {
    rawOrders: `test.clarity.orders.${suffix}`,
    rawPayments: `test.clarity.payments.${suffix}`,
    rawPayouts: `test.payoneer.payouts.${suffix}`,
    orders: `canonical.order.v1.${suffix}`,
    payments: `canonical.payment.v1.${suffix}`,
    payouts: `canonical.payout.v1.${suffix}`,
  };
  const flow = (
    id: string,
    from: string,
    mapping: string,
    output: string,
    to: string,
    key: string,
  ): void =>
    writeFileSync(
      join(dir, `${id}.yaml`),
      [
        `id: ${id}`,
        'version: 1',
        `trigger: { topic: ${from} }`,
        `transform: { mapping: ${mapping}, output: '${output}' }`,
        `target: { topic: ${to} }`,
        `key: '${key}'`,
        'retry: { maxAttempts: 3, initialMs: 20, maxMs: 100 }',
        '',
      ].join('\n'),
    );
  const orderFlow = `sync-order-${suffix}`;
  const payoutFlow = `sync-payout-${suffix}`;
  flow(
    orderFlow,
    topics.rawOrders,
    'clarity-to-canonical/order.jsonata',
    'canonical.order@1',
    topics.orders,
    '$string(ID)',
  );
  flow(
    `sync-payment-${suffix}`,
    topics.rawPayments,
    'clarity-to-canonical/payment.jsonata',
    'canonical.payment@1',
    topics.payments,
    '$string(ID)',
  );
  flow(
    payoutFlow,
    topics.rawPayouts,
    'payoneer-to-canonical/payout.jsonata',
    'canonical.payout@1',
    topics.payouts,
    'client_reference_id',
  );
  return { flowsDir: dir, topics, payoutFlow, orderFlow };
}

const transports: Array<[string, () => EventBus]> = [
  [
    'Kafka',
    () => {
      const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);
      if (brokers.length === 0)
        throw new Error('KAFKA_BROKERS is not set: run this suite with --selectProjects e2e');
      return new KafkaEventBus({ brokers, clientId: `sync-e2e-${randomBytes(3).toString('hex')}` });
    },
  ],
  ['memory bus', () => new MemoryEventBus()],
];

describe.each(transports)(
  'sync flows end to end (%s, real PostgreSQL, sandbox)',
  (_transport, createBus) => {
    const suffix = randomBytes(4).toString('hex');
    const { flowsDir, topics, payoutFlow, orderFlow } = writeFlows(suffix);
    const seen: Record<'orders' | 'payments' | 'payouts', DeliveredMessage[]> = {
      orders: [],
      payments: [],
      payouts: [],
    };
    let database: TestDatabase;
    let sandbox: SandboxHandle;
    let bus: EventBus;
    let runtime: RunningRuntime;

    beforeAll(async () => {
      database = await createTestDatabase();
      sandbox = await startSandbox({ port: 0, seed: 42 });
      bus = createBus();
      await bus.connect();
      runtime = await bootRuntime({
        database: { url: database.url, schema: database.schema },
        flowsDir,
        mappingsDir: MAPPINGS,
        shopUrl: sandbox.url,
        bus,
        masterKey: randomBytes(32).toString('base64'),
      });
      for (const kind of ['orders', 'payments', 'payouts'] as const) {
        await bus.subscribe({
          groupId: `sync-observer-${kind}-${suffix}`,
          topics: [topics[kind]],
          fromBeginning: true,
          handler: async (message) => void seen[kind].push(message),
        });
      }
    });

    afterAll(async () => {
      await runtime?.close();
      await bus?.disconnect();
      await sandbox?.close();
      await database?.drop();
    });

    const api = adminApi(() => runtime.url);

    async function clarity(path: string): Promise<any> {
      const response = await fetch(
        `${sandbox.urls.clarity}${path}${path.includes('?') ? '&' : '?'}apikey=${sandbox.credentials.clarity.apiKey}`,
      );
      expect(response.status).toBe(200);
      return response.json();
    }

    async function publish(topic: string, values: unknown[]): Promise<void> {
      await bus.publish(
        topic,
        values.map((value) => ({ key: null, value })),
      );
    }

    function payoutStatus(payeeId: string, reference: string): Record<string, unknown> {
      return {
        client_reference_id: `${reference}-A1`,
        payout_date: '2026-06-30T08:01:12.000Z',
        amount: 17.5,
        currency: 'USD',
        status: 'Transferred',
        payee_id: payeeId,
        payout_id: `po-${reference}`,
        load_date: '2026-06-30T08:03:00.000Z',
      };
    }

    it('turns orders and payments made in the Clarity simulator into canonical events, each exactly once', async () => {
      const seeded = await fetch(`${sandbox.urls.control}/scenarios/merchant`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          customers: 3,
          vendors: 1,
          affiliates: 1,
          products: 4,
          orders: 6,
          paidRatio: 1,
          reset: true,
        }),
      });
      expect(seeded.status).toBe(200);
      const orders = (await clarity('/Ordering/SalesOrders?Paging.Size=100')).Results as Array<{
        ID: number;
        StatusKey: string;
      }>;
      const payments = (await clarity('/Payments/Payments?Paging.Size=100')).Results as Array<{
        ID: number;
        TransactionNumber: string;
      }>;
      expect(orders).toHaveLength(6);
      expect(payments.length).toBeGreaterThan(0);

      await publish(topics.rawOrders, orders);
      await publish(topics.rawPayments, payments);

      await eventually(
        () => seen.orders.length >= orders.length && seen.payments.length >= payments.length,
        30_000,
        'every canonical order and payment',
      );
      expect(
        seen.orders
          .map((message) => (message.value as { id: { sourceId: string } }).id.sourceId)
          .sort(),
      ).toEqual(orders.map((order) => String(order.ID)).sort());
      for (const message of seen.orders) {
        const order = orders.find(
          (candidate) =>
            String(candidate.ID) === (message.value as { id: { sourceId: string } }).id.sourceId,
        );
        expect(message.value).toMatchObject({
          id: { source: 'clarity' },
          sourceStatus: order?.StatusKey,
          status: 'paid',
        });
      }
      expect(
        seen.payments
          .map((message) => (message.value as { transactionId: string }).transactionId)
          .sort(),
      ).toEqual(payments.map((payment) => payment.TransactionNumber).sort());
    });

    it('maps a payout back to its Clarity account through an id map set by API', async () => {
      const put = await api('PUT', '/api/id-maps/payoneer-payee/VEND-0001', {
        targetId: 'VEND-0001',
      });
      expect(put).toMatchObject({
        status: 200,
        json: {
          created: true,
          entry: { namespace: 'payoneer-payee', sourceId: 'VEND-0001', origin: 'api' },
        },
      });
      await publish(topics.rawPayouts, [
        payoutStatus('VEND-0001', `clarity-commission-1-${suffix}`),
      ]);
      const payout = await eventually(
        () =>
          seen.payouts.find(
            (message) =>
              (message.value as { reference: string }).reference ===
              `clarity-commission-1-${suffix}`,
          ),
        30_000,
        'the canonical payout',
      );
      expect(payout.value).toMatchObject({
        status: 'paid',
        payee: { id: { source: 'clarity', sourceId: 'VEND-0001' }, payeeId: 'VEND-0001' },
      });
    });

    it('sends a payout from a payee with no mapping to review, and replays it once an operator maps the payee', async () => {
      const ghost = `GHOST-${suffix}`;
      await publish(topics.rawPayouts, [payoutStatus(ghost, `clarity-commission-2-${suffix}`)]);
      const letter = await eventually(
        async () => {
          const page = await api('GET', `/api/dlq?flowId=${payoutFlow}&status=review`);
          return page.json.items[0] as
            { id: string; errorMessage?: string; error?: unknown } | undefined;
        },
        30_000,
        'the review item',
      );
      expect(JSON.stringify(letter)).toContain(
        `no entry for id \\"${ghost}\\" in id map \\"clarity-account\\"`,
      );
      expect(
        seen.payouts.some(
          (message) => (message.value as { payee: { payeeId: string } }).payee.payeeId === ghost,
        ),
      ).toBe(false);

      expect(
        (await api('PUT', `/api/id-maps/payoneer-payee/AFF-${suffix}`, { targetId: ghost })).status,
      ).toBe(200);
      expect((await api('POST', `/api/dlq/${letter.id}/replay`, {})).status).toBe(200);
      const payout = await eventually(
        () =>
          seen.payouts.find(
            (message) => (message.value as { payee: { payeeId: string } }).payee.payeeId === ghost,
          ),
        30_000,
        'the replayed payout',
      );
      expect(payout.value).toMatchObject({
        payee: { id: { source: 'clarity', sourceId: `AFF-${suffix}` } },
      });
    });

    it('sends an order with a status the table does not know to review rather than guessing', async () => {
      await publish(topics.rawOrders, [
        {
          ID: 999_001,
          StatusKey: 'Teleported',
          CurrencyKey: 'EUR',
          Totals: { SubTotal: 1, Total: 1 },
          CreatedDate: '2026-06-01T00:00:00Z',
        },
      ]);
      const letter = await eventually(
        async () => (await api('GET', `/api/dlq?flowId=${orderFlow}&status=review`)).json.items[0],
        30_000,
        'the review item',
      );
      expect(JSON.stringify(letter)).toContain(
        'no entry for id \\"Teleported\\" in id map \\"status.clarity.order\\"',
      );
    });

    it('lists, edits and deletes id-map entries through the admin API, refusing a payee mapped twice', async () => {
      const namespaces = await api('GET', '/api/id-maps');
      expect(namespaces.json.items).toContainEqual(
        expect.objectContaining({
          namespace: 'payoneer-payee',
          reverseName: 'clarity-account',
          firstSight: 'same-id',
        }),
      );
      const conflict = await api('PUT', '/api/id-maps/payoneer-payee/VEND-0002', {
        targetId: 'VEND-0001',
      });
      expect(conflict).toMatchObject({ status: 409, json: { error: 'id_map_conflict' } });
      expect(
        (await api('PUT', '/api/id-maps/payoneer-payee/VEND-0001', { targetId: 'payee-v1' })).json,
      ).toMatchObject({ created: false, entry: { targetId: 'payee-v1' } });
      expect((await api('GET', '/api/id-maps/payoneer-payee/VEND-0001')).json.targetId).toBe(
        'payee-v1',
      );
      expect((await api('GET', '/api/id-maps/payoneer-payee')).json.total).toBe(2);
      expect((await api('DELETE', '/api/id-maps/payoneer-payee/VEND-0001')).status).toBe(204);
      expect((await api('GET', '/api/id-maps/payoneer-payee/VEND-0001')).status).toBe(404);
      expect((await api('PUT', '/api/id-maps/Bad%20Name/1', { targetId: 'x' })).status).toBe(400);
    });
  },
);
