import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import {
  type DeliveredMessage,
  type EventBus,
  KafkaEventBus,
  MemoryEventBus,
} from '@switchboard/event-bus';
import { createTestDatabase, type TestDatabase } from '@switchboard/persistence';
import { startSandbox, type SandboxHandle } from '../apps/sandbox/src/index';
import { startRuntime, type RunningRuntime } from '../apps/runtime/src/runtime';
import { eventually } from './support/eventually';
import { adminApi, clarityApi, sandboxControl } from './support/http-clients';
import { testRuntimeConfig } from './support/runtime-harness';
import { copyShippedFlows, sandboxPlugin, storeSandboxSecrets } from './support/sandbox-wiring';

/**
 * The shipped Clarity sync flows (config/flows) with the real Clarity connector against the
 * sandbox: orders and payments made in the simulator arrive as signed webhooks (some delivered
 * twice) and become canonical events once each; a canonical payout marks its Clarity commission
 * Paid through injected 429s and 5xx. The same suite runs on the memory bus and on real Kafka.
 */
const ROOT = resolve(__dirname, '..');
const FLOWS = ['clarity-order-created', 'clarity-payment-processed', 'canonical-payout-to-clarity'];

type Transport = 'memory' | 'kafka';

function openBus(transport: Transport): EventBus {
  if (transport === 'memory') return new MemoryEventBus();
  const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);
  if (brokers.length === 0)
    throw new Error('KAFKA_BROKERS is not set: run this suite with --selectProjects e2e');
  return new KafkaEventBus({
    brokers,
    clientId: `sync-clarity-${randomBytes(4).toString('hex')}`,
    defaultPartitions: 2,
  });
}

describe.each<Transport>(['memory', 'kafka'])(
  'Clarity sync flows with the real connector (%s bus, real PostgreSQL, sandbox)',
  (transport) => {
    const flowsDir = copyShippedFlows('sb-sync-clarity-', FLOWS);
    const seen: Record<string, DeliveredMessage[]> = {
      'canonical.order.v1': [],
      'canonical.payment.v1': [],
    };
    let database: TestDatabase;
    let sandbox: SandboxHandle;
    let bus: EventBus;
    let runtime: RunningRuntime;

    beforeAll(async () => {
      database = await createTestDatabase();
      sandbox = await startSandbox({ port: 0, seed: 21 });
      bus = openBus(transport);
      await bus.connect();
      const config = testRuntimeConfig({
        database: { url: database.url, schema: database.schema },
        flowsDir,
        mappingsDir: join(ROOT, 'mappings'),
        shopUrl: sandbox.url,
        bus,
        masterKey: randomBytes(32).toString('base64'),
      });
      config.plugins = [sandboxPlugin('clarity', sandbox)];
      runtime = await startRuntime(config, { bus, quiet: true });
      const ready = await api('GET', '/health/ready');
      expect(ready.json.checks.bus.detail).toMatch(new RegExp(`^${transport}`));
      await storeSandboxSecrets(api, sandbox, ['clarity'], { webhooks: true });
      for (const topic of Object.keys(seen)) {
        // On Kafka the canonical topics may hold earlier runs' events: observe only from now on.
        await bus.subscribe({
          groupId: `observer-${topic}-${randomBytes(4).toString('hex')}`,
          topics: [topic],
          fromBeginning: transport === 'memory',
          handler: async (message) => void seen[topic]?.push(message),
        });
      }
      for (const event of ['order.created', 'payment.processed']) {
        await control('POST', '/webhooks', {
          system: 'clarity',
          url: `${runtime.url}/hooks/clarity/${event}`,
          events: [event],
        });
      }
    }, 120_000);

    afterAll(async () => {
      await runtime?.close();
      await bus?.disconnect();
      await sandbox?.close();
      await database?.drop();
    }, 60_000);

    const api = adminApi(() => runtime.url);

    const control = sandboxControl(() => sandbox.urls.control);

    const clarity = clarityApi(() => ({
      url: sandbox.urls.clarity,
      apiKey: sandbox.credentials.clarity.apiKey,
    }));

    it('turns orders and payments created in the Clarity simulator into canonical events once each, duplicates dropped', async () => {
      const { merchant } = await control('POST', '/scenarios/merchant', {
        customers: 2,
        vendors: 1,
        affiliates: 1,
        products: 3,
        orders: 0,
        reset: false,
      });
      const product = merchant.products[0] as { ID: number };
      await control('POST', '/faults', {
        system: 'clarity',
        route: 'order.created',
        kind: 'duplicate_webhook',
        count: 2,
      });
      const orderIds: number[] = [];
      for (const customer of merchant.customers as Array<{ ID: number }>) {
        const created = await clarity('POST', '/Ordering/SalesOrder/Create', {
          AccountID: customer.ID,
          AffiliateAccountID: merchant.affiliates[0].ID,
          SalesItems: [{ ProductID: product.ID, Quantity: 2 }],
        });
        expect(created.ActionSucceeded).toBe(true);
        orderIds.push(created.Result.ID);
        const paid = await clarity('POST', '/Payments/Payment/Create', {
          SalesOrderID: created.Result.ID,
          Amount: created.Result.Totals.Total,
          PaymentMethodKey: 'Payoneer',
        });
        expect(paid.ActionSucceeded).toBe(true);
      }

      await eventually(
        () =>
          seen['canonical.order.v1']!.length >= orderIds.length &&
          seen['canonical.payment.v1']!.length >= orderIds.length,
        30_000,
        'canonical orders and payments',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const orders = seen['canonical.order.v1']!.map(
        (message) => message.value as { id: { sourceId: string }; status: string },
      );
      expect(orders.map((order) => order.id.sourceId).sort()).toEqual(orderIds.map(String).sort());
      expect(orders.every((order) => order.status === 'pending')).toBe(true);
      const payments = seen['canonical.payment.v1']!.map(
        (message) => message.value as { orderId: { sourceId: string }; status: string },
      );
      expect(payments.map((payment) => payment.orderId.sourceId).sort()).toEqual(
        orderIds.map(String).sort(),
      );
      expect(payments.every((payment) => payment.status === 'completed')).toBe(true);
      const deliveries = (await control('GET', '/webhooks/deliveries')).deliveries as Array<{
        event: string;
      }>;
      expect(deliveries.filter((delivery) => delivery.event === 'order.created').length).toBe(
        orderIds.length + 2,
      );
    });

    it('marks the Clarity commission Paid from a canonical payout, through 429s and 5xx', async () => {
      const commissions = (await clarity('GET', '/Accounts/Commissions?StatusKey=Unpaid'))
        .Results as Array<{ ID: number }>;
      const commission = commissions[0];
      expect(commission).toBeDefined();
      await control('POST', '/faults', {
        system: 'clarity',
        route: 'PUT /Accounts/Commission/Update',
        kind: '429',
        count: 1,
        retryAfterSeconds: 0,
      });
      await control('POST', '/faults', {
        system: 'clarity',
        route: 'PUT /Accounts/Commission/Update',
        kind: '503',
        count: 1,
      });

      await bus.publish('canonical.payout.v1', [
        {
          key: `clarity-commission-${commission!.ID}`,
          value: {
            reference: `clarity-commission-${commission!.ID}`,
            clientReferenceId: `clarity-commission-${commission!.ID}-A1`,
            payee: { id: { source: 'clarity', sourceId: 'AFF-0001' } },
            amount: { amount: '10.00', currency: 'USD' },
            status: 'paid',
            createdAt: '2026-06-30T08:00:00Z',
          },
        },
      ]);
      const updated = await eventually(
        async () => {
          const record = (await clarity('GET', `/Accounts/Commissions?StatusKey=Paid`))
            .Results as Array<{ ID: number; PaymentReference: string }>;
          return record.find((candidate) => candidate.ID === commission!.ID);
        },
        30_000,
        'the commission marked Paid',
      );
      expect(updated.PaymentReference).toBe(`clarity-commission-${commission!.ID}-A1`);
      const rules = (await control('GET', '/faults')).rules as Array<{
        kind: string;
        fired: number;
      }>;
      expect(
        rules.filter((rule) => rule.kind !== 'duplicate_webhook').map((rule) => rule.fired),
      ).toEqual([1, 1]);
    });
  },
);
