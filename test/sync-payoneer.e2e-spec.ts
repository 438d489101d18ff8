import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { type DeliveredMessage, MemoryEventBus } from '@switchboard/event-bus';
import { createTestDatabase, type TestDatabase } from '@switchboard/persistence';
import { startSandbox, type SandboxHandle } from '../apps/sandbox/src/index';
import { startRuntime, type RunningRuntime } from '../apps/runtime/src/runtime';
import { ScheduleTriggerService } from '../apps/runtime/src/scheduler/schedule-trigger.service';
import { eventually } from './support/eventually';
import { adminApi, sandboxControl } from './support/http-clients';
import { testRuntimeConfig } from './support/runtime-harness';
import { copyShippedFlows, sandboxPlugin, storeSandboxSecrets } from './support/sandbox-wiring';

/**
 * The shipped Payoneer sync flows (config/flows) with the real Payoneer connector against the
 * sandbox: signed PaymentReceived notifications and the catch-up poll (through injected 429s and
 * 5xx) become canonical payments and fees, each payment once per path.
 */
const ROOT = resolve(__dirname, '..');
const FLOWS = [
  'payoneer-payment-received',
  'payoneer-payment-fee',
  'payoneer-payment-poll',
  'payoneer-payout-status',
];

describe('Payoneer sync flows with the real connector (memory bus, real PostgreSQL, sandbox)', () => {
  const flowsDir = copyShippedFlows('sb-sync-payoneer-', FLOWS);
  const seen: Record<string, DeliveredMessage[]> = {
    'canonical.payment.v1': [],
    'canonical.fee.v1': [],
  };
  let database: TestDatabase;
  let sandbox: SandboxHandle;
  let bus: MemoryEventBus;
  let runtime: RunningRuntime;

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await startSandbox({ port: 0, seed: 11 });
    bus = new MemoryEventBus();
    await bus.connect();
    const config = testRuntimeConfig({
      database: { url: database.url, schema: database.schema },
      flowsDir,
      mappingsDir: join(ROOT, 'mappings'),
      shopUrl: sandbox.url,
      bus,
      masterKey: randomBytes(32).toString('base64'),
    });
    config.plugins = [sandboxPlugin('payoneer', sandbox)];
    runtime = await startRuntime(config, { bus, quiet: true });
    await storeSandboxSecrets(api, sandbox, ['payoneer'], { webhooks: true });
    for (const topic of Object.keys(seen)) {
      await bus.subscribe({
        groupId: `observer-${topic}`,
        topics: [topic],
        fromBeginning: true,
        handler: async (message) => void seen[topic]?.push(message),
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

  function fromFlow(topic: string, flowId: string): Array<{ id: { sourceId: string } }> {
    return (seen[topic] ?? [])
      .filter((message) => message.headers['sb-source-flow']?.startsWith(`${flowId}@`))
      .map((message) => message.value as { id: { sourceId: string } });
  }

  it('turns signed PaymentReceived notifications into canonical payments and fees', async () => {
    await control('POST', '/payoneer/received-payments', {
      amount: '123.45',
      currency: 'EUR',
      creditCurrency: 'USD',
      paymentReference: 'PYN-REF-1',
      payerName: 'Ada Lovelace',
    });
    await control('POST', '/payoneer/received-payments', {
      amount: '40.00',
      currency: 'USD',
      paymentReference: 'PYN-REF-2',
    });
    await control('POST', '/payoneer/received-payments', {
      amount: '15.50',
      currency: 'USD',
      paymentReference: 'PYN-REF-3',
    });
    const received = (await control('GET', '/payoneer/account')).receivedPayments as Array<{
      id: string;
      details: { fee: string };
    }>;
    expect(received).toHaveLength(3);
    const ids = received.map((payment) => String(payment.id)).sort();

    await eventually(
      () => fromFlow('canonical.payment.v1', 'payoneer-payment-received').length >= ids.length,
      30_000,
      'a canonical payment per received payment',
    );
    expect(
      fromFlow('canonical.payment.v1', 'payoneer-payment-received')
        .map((payment) => payment.id.sourceId)
        .sort(),
    ).toEqual(ids);
    const converted = (seen['canonical.payment.v1'] ?? []).find(
      (message) => (message.value as { transactionId: string }).transactionId === 'PYN-REF-1',
    );
    expect(converted?.value).toMatchObject({
      amount: { amount: '123.45', currency: 'EUR' },
      fxRate: { sourceCurrency: 'EUR', targetCurrency: 'USD' },
      settledAmount: { currency: 'USD' },
      payer: { name: 'Ada Lovelace' },
      status: 'completed',
    });
    const withFee = received
      .filter((payment) => Number(payment.details.fee) > 0)
      .map((payment) => `${payment.id}:fee`)
      .sort();
    await eventually(
      () => fromFlow('canonical.fee.v1', 'payoneer-payment-fee').length >= withFee.length,
      30_000,
      'a canonical fee per charged fee',
    );
    expect(
      fromFlow('canonical.fee.v1', 'payoneer-payment-fee')
        .map((fee) => fee.id.sourceId)
        .sort(),
    ).toEqual(withFee);

    // Fee tracking: each fee in the ledger once, summed per day and currency in decimals.
    const ledger = await eventually(
      async () => {
        const page = (await api('GET', '/api/fees?limit=50')).json as {
          total: number;
          items: Array<{ sourceId: string; amount: string; currency: string }>;
        };
        return page.total >= withFee.length ? page : undefined;
      },
      30_000,
      'the fees in the fee ledger',
    );
    expect(ledger.items.map((fee) => fee.sourceId).sort()).toEqual(withFee);
    const expectedCents = new Map<string, number>();
    for (const fee of ledger.items)
      expectedCents.set(
        fee.currency,
        (expectedCents.get(fee.currency) ?? 0) + Math.round(Number(fee.amount) * 100),
      );
    const totals = (await api('GET', '/api/fees/totals')).json.items as Array<{
      currency: string;
      amount: string;
      count: number;
    }>;
    expect(totals.reduce((sum, row) => sum + row.count, 0)).toBe(withFee.length);
    for (const [currency, cents] of expectedCents) {
      const summed = totals
        .filter((row) => row.currency === currency)
        .reduce((sum, row) => sum + Math.round(Number(row.amount) * 100), 0);
      expect(`${currency} ${summed}`).toBe(`${currency} ${cents}`);
    }
    const refused = await api('GET', '/api/fees?currency=usd&from=yesterday');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toMatch(/currency must be an ISO 4217 code/);
  });

  it('catches up by polling through 429s and 5xx, losing and duplicating nothing', async () => {
    const received = (await control('GET', '/payoneer/account')).receivedPayments as Array<{
      id: string;
    }>;
    await control('POST', '/faults', {
      system: 'payoneer',
      route: 'GET /v4/accounts/:accountId/transactions',
      kind: '429',
      count: 1,
      retryAfterSeconds: 0,
    });
    await control('POST', '/faults', {
      system: 'payoneer',
      route: 'GET /v4/accounts/:accountId/transactions',
      kind: '503',
      count: 1,
    });

    const published = await runtime.app.get(ScheduleTriggerService).tick('payoneer-payment-poll');
    expect(published).toBe(received.length);
    const faults = (await control('GET', '/faults')) as { rules: Array<{ fired: number }> };
    expect(faults.rules.map((rule) => rule.fired)).toEqual([1, 1]);

    await eventually(
      () => fromFlow('canonical.payment.v1', 'payoneer-payment-poll').length >= received.length,
      30_000,
      'the polled payments',
    );
    // A second tick re-reads the newest payment (inclusive cursor); its event id is the same, so it is not published twice.
    await runtime.app
      .get(ScheduleTriggerService)
      .tick('payoneer-payment-poll', new Date(Date.now() + 60_000));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const polled = fromFlow('canonical.payment.v1', 'payoneer-payment-poll')
      .map((payment) => payment.id.sourceId)
      .sort();
    expect(polled).toEqual(received.map((payment) => String(payment.id)).sort());
  });
});
