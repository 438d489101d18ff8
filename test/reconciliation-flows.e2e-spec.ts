import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { MemoryEventBus } from '@switchboard/event-bus';
import { createTestDatabase, FxRateRepository, type TestDatabase } from '@switchboard/persistence';
import { startSandbox, type SandboxHandle } from '../apps/sandbox/src/index';
import { ReconciliationWorker } from '../apps/runtime/src/reconciliation/reconciliation-worker.service';
import { startRuntime, type RunningRuntime } from '../apps/runtime/src/runtime';
import { eventually } from './support/eventually';
import { adminApi, clarityApi, sandboxControl } from './support/http-clients';
import { testRuntimeConfig } from './support/runtime-harness';
import { copyShippedFlows, sandboxPlugin, storeSandboxSecrets } from './support/sandbox-wiring';

/**
 * Reconciliation behind the shipped flows: orders and payments made in the Clarity simulator reach
 * the runtime as signed webhooks (Clarity order.created and payment.processed, Payoneer
 * PaymentReceived), become canonical events, are matched by the transaction id the Clarity payment
 * ties to its order, post once to the ERP with their fees, and the orders become Reconciled.
 */
const ROOT = resolve(__dirname, '..');
const FLOWS = [
  'clarity-order-created',
  'clarity-payment-processed',
  'payoneer-payment-received',
  'payoneer-payment-fee',
  'canonical-fee-to-erp',
];

interface JournalEntry {
  name: string;
  custom_sb_reference: string;
  total_debit: number;
  total_credit: number;
}

describe('reconciliation behind the shipped flows (sandbox webhooks, memory bus, real PostgreSQL)', () => {
  const flowsDir = copyShippedFlows('sb-recon-flows-', FLOWS);
  let database: TestDatabase;
  let sandbox: SandboxHandle;
  let bus: MemoryEventBus;
  let runtime: RunningRuntime;

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await startSandbox({ port: 0, seed: 57 });
    bus = new MemoryEventBus({ redeliveryDelayMs: 20 });
    await bus.connect();
    const config = testRuntimeConfig({
      database: { url: database.url, schema: database.schema },
      flowsDir,
      mappingsDir: join(ROOT, 'mappings'),
      shopUrl: sandbox.url,
      bus,
      masterKey: randomBytes(32).toString('base64'),
    });
    config.plugins = [
      sandboxPlugin('clarity', sandbox),
      sandboxPlugin('payoneer', sandbox),
      sandboxPlugin('erp', sandbox),
    ];
    config.reconciliation.enabled = true;
    config.reconciliation.sweepIntervalMs = 0;
    runtime = await startRuntime(config, { bus, quiet: true });
    await storeSandboxSecrets(api, sandbox, ['clarity', 'payoneer', 'erp'], { webhooks: true });
    // The books are in USD: the merchant's EUR and GBP sales and fees convert with the rate table.
    const rates = new FxRateRepository(runtime.dataSource);
    for (const [from, rate] of [
      ['EUR', '1.0834'],
      ['GBP', '1.2710'],
    ] as const) {
      await rates.add({ fromCurrency: from, toCurrency: 'USD', rate, validFrom: '2020-01-01' });
    }
    for (const event of ['order.created', 'payment.processed']) {
      await control('POST', '/webhooks', {
        system: 'clarity',
        url: `${runtime.url}/hooks/clarity/${event}`,
        events: [event],
      });
    }
    await control('POST', '/webhooks', {
      system: 'payoneer',
      url: `${runtime.url}/hooks/payoneer/payment.received`,
      events: ['PaymentReceived'],
    });
  });

  afterAll(async () => {
    await runtime?.close();
    await bus?.disconnect();
    await sandbox?.close();
    await database?.drop();
  });

  const api = adminApi(() => runtime.url);

  const control = sandboxControl(() => sandbox.urls.control);

  const clarity = clarityApi(() => ({
    url: sandbox.urls.clarity,
    apiKey: sandbox.credentials.clarity.apiKey,
  }));

  async function erpEntries(): Promise<JournalEntry[]> {
    const query = new URLSearchParams({
      fields: JSON.stringify(['name', 'custom_sb_reference', 'total_debit', 'total_credit']),
      limit_page_length: '0',
    });
    const response = await fetch(
      `${sandbox.urls.erp}/api/resource/Journal Entry?${query.toString()}`,
      {
        headers: {
          authorization: `token ${sandbox.credentials.erp.apiKey}:${sandbox.credentials.erp.apiSecret}`,
        },
      },
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: JournalEntry[] }).data;
  }

  it('matches Payoneer payments to Clarity orders by the transaction id, posts revenue and fees once, marks the orders', async () => {
    const { merchant } = await control('POST', '/scenarios/merchant', {
      customers: 2,
      vendors: 1,
      affiliates: 1,
      products: 2,
      orders: 0,
      reset: false,
    });
    const worker = runtime.app.get(ReconciliationWorker);
    const orderIds: number[] = [];
    for (const [index, customer] of (merchant.customers as Array<{ ID: number }>).entries()) {
      const created = await clarity('POST', '/Ordering/SalesOrder/Create', {
        AccountID: customer.ID,
        SalesItems: [{ ProductID: merchant.products[index].ID, Quantity: index + 2 }],
      });
      expect(created.ActionSucceeded).toBe(true);
      orderIds.push(created.Result.ID);
    }
    // The order exists in reconciliation before it is paid, as when a customer checks out.
    await eventually(
      () => worker.handled().orders >= orderIds.length,
      30_000,
      'the orders ingested',
    );
    // The first Clarity payment webhook is held back, so its Payoneer payment usually arrives with only
    // amount and date to go on (review) until the Clarity payment ties its transaction id to the order.
    await control('POST', '/faults', {
      system: 'clarity',
      route: 'payment.processed',
      kind: 'out_of_order_webhook',
      count: 1,
    });
    for (const id of orderIds) {
      const order = await clarity('GET', `/Ordering/SalesOrder/ID/${id}`);
      const paid = await clarity('POST', '/Payments/Payment/Create', {
        SalesOrderID: id,
        Amount: order.Totals.Total,
        PaymentMethodKey: 'Payoneer',
      });
      expect(paid.ActionSucceeded).toBe(true);
    }

    for (const id of orderIds) {
      await eventually(
        async () =>
          (await clarity('GET', `/Ordering/SalesOrder/ID/${id}`)).StatusKey === 'Reconciled',
        60_000,
        `order ${id} Reconciled`,
      );
    }
    const received = (await control('GET', '/payoneer/account')).receivedPayments as Array<{
      id: string;
    }>;
    const expected = [
      ...orderIds.map((id) => `revenue:clarity:${id}`),
      ...received.map((payment) => `fee:payoneer:${payment.id}:fee`),
    ].sort();
    const posted = async () =>
      (await erpEntries()).map((entry) => entry.custom_sb_reference).sort();
    await eventually(
      async () => JSON.stringify(await posted()) === JSON.stringify(expected),
      30_000,
      `the entries ${expected.join(', ')}`,
    );
    for (const entry of await erpEntries())
      expect(entry.total_debit).toBeCloseTo(entry.total_credit, 6);
    expect((await api('GET', '/api/reconciliation/review-items?status=open')).json.total).toBe(0);
    // A review the Clarity payment settled leaves no alert for anyone to chase.
    const alerts = await api('GET', '/api/alerts?rule=reconciliation_mismatch&acknowledged=false');
    expect(alerts.json.items).toEqual([]);
    const faults = (await control('GET', '/faults')).rules as Array<{ fired: number }>;
    expect(faults.map((rule) => rule.fired)).toEqual([1]);
  });
});
