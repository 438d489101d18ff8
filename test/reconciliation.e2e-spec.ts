import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { MemoryEventBus, type OutgoingMessage } from '@switchboard/event-bus';
import { createTestDatabase, type TestDatabase } from '@switchboard/persistence';
import { Decimal } from 'decimal.js';
import { startSandbox, type SandboxHandle } from '../apps/sandbox/src/index';
import {
  RECONCILIATION_FEED,
  type ReconciliationFeed,
} from '../apps/runtime/src/dashboard/dashboard-feeds';
import { ReconciliationWorker } from '../apps/runtime/src/reconciliation/reconciliation-worker.service';
import { startRuntime, type RunningRuntime } from '../apps/runtime/src/runtime';
import { eventually } from './support/eventually';
import { adminApi, clarityApi, dashboardSession, sandboxControl } from './support/http-clients';
import { testRuntimeConfig } from './support/runtime-harness';
import { copyShippedFlows, sandboxPlugin, storeSandboxSecrets } from './support/sandbox-wiring';

/**
 * Revenue reconciliation in the runtime against the sandbox: canonical Clarity orders and Payoneer
 * received payments on the bus are matched, each match posts one balanced journal entry to the ERP
 * simulator and marks its Clarity orders Reconciled; each Payoneer fee posts on its own through the
 * shipped canonical-fee-to-erp flow; a mismatch waits in review with an alert; replaying the whole
 * batch changes nothing. Everything is read back from the simulators over HTTP.
 */
const ROOT = resolve(__dirname, '..');
const ORDER_TOPIC = 'canonical.order.v1';
const PAYMENT_TOPIC = 'canonical.payment.v1';
const FEE_TOPIC = 'canonical.fee.v1';

interface ClarityOrder {
  ID: number;
  CustomKey: string;
  CurrencyKey: string;
  StatusKey: string;
  Totals: { SubTotal: number; Total: number };
}

interface JournalEntry {
  name: string;
  custom_sb_reference: string;
  docstatus: number;
  total_debit: number;
  total_credit: number;
  accounts?: Array<{
    account: string;
    debit_in_account_currency: number;
    credit_in_account_currency: number;
  }>;
}

describe('revenue reconciliation in the runtime (memory bus, real PostgreSQL, sandbox ERP and Clarity)', () => {
  const flowsDir = copyShippedFlows('sb-recon-', ['canonical-fee-to-erp']);
  let database: TestDatabase;
  let sandbox: SandboxHandle;
  let bus: MemoryEventBus;
  let runtime: RunningRuntime;
  /** Every message of the mixed batch, in publishing order, for the replay. */
  const batch: Array<{ topic: string; message: OutgoingMessage }> = [];
  const orders: Record<string, ClarityOrder> = {};
  const tag = randomBytes(2).toString('hex').toUpperCase();

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await startSandbox({ port: 0, seed: 33 });
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
      // One HTTP attempt per call: the reconciliation posting's own retries are under test.
      sandboxPlugin('erp', sandbox, { retry: { maxAttempts: 1 }, breaker: { halfOpenAfterMs: 300 } }),
    ];
    config.reconciliation.enabled = true;
    config.reconciliation.sweepIntervalMs = 0;
    // Short back-offs keep the retry test quick; the policy is the production one.
    config.reconciliation.postingMaxAttempts = 4;
    config.reconciliation.postingInitialBackoffMs = 10;
    config.reconciliation.postingMaxBackoffMs = 50;
    runtime = await startRuntime(config, { bus, quiet: true });
    await storeSandboxSecrets(api, sandbox, ['clarity', 'erp']);
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
      fields: JSON.stringify([
        'name',
        'custom_sb_reference',
        'docstatus',
        'total_debit',
        'total_credit',
      ]),
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

  async function erpEntry(name: string): Promise<JournalEntry> {
    const response = await fetch(
      `${sandbox.urls.erp}/api/resource/Journal Entry/${encodeURIComponent(name)}`,
      {
        headers: {
          authorization: `token ${sandbox.credentials.erp.apiKey}:${sandbox.credentials.erp.apiSecret}`,
        },
      },
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: JournalEntry }).data;
  }

  async function orderStatus(id: number): Promise<string> {
    return ((await clarity('GET', `/Ordering/SalesOrder/ID/${id}`)) as ClarityOrder).StatusKey;
  }

  function byReference(entries: JournalEntry[]): Map<string, JournalEntry[]> {
    const map = new Map<string, JournalEntry[]>();
    for (const entry of entries)
      map.set(entry.custom_sb_reference, [...(map.get(entry.custom_sb_reference) ?? []), entry]);
    return map;
  }

  const hoursAgo = (hours: number): string =>
    new Date(Date.now() - hours * 3_600_000).toISOString();

  function canonicalOrder(order: ClarityOrder): Record<string, unknown> {
    const money = (value: number) => ({ amount: value.toFixed(2), currency: order.CurrencyKey });
    return {
      id: { source: 'clarity', sourceId: String(order.ID) },
      orderNumber: order.CustomKey,
      status: 'pending',
      currency: order.CurrencyKey,
      totals: { subTotal: money(order.Totals.SubTotal), total: money(order.Totals.Total) },
      createdAt: hoursAgo(6),
    };
  }

  function payment(
    id: string,
    fields: {
      reference?: string;
      amount: string;
      currency?: string;
      fee: string;
      netOfFee?: boolean;
      fx?: { rate: string; settled: string };
    },
  ): Record<string, unknown> {
    const currency = fields.currency ?? 'USD';
    return {
      id: { source: 'payoneer', sourceId: id },
      transactionId: id,
      ...(fields.reference === undefined ? {} : { orderReference: fields.reference }),
      status: 'completed',
      amount: { amount: fields.amount, currency },
      // Payoneer reports a converted payment's fee and net in the balance currency (USD).
      fee: { amount: fields.fee, currency: fields.fx === undefined ? currency : 'USD' },
      ...(fields.fx === undefined
        ? {
            netAmount: {
              amount:
                fields.netOfFee === true
                  ? fields.amount
                  : new Decimal(fields.amount).minus(fields.fee).toFixed(2),
              currency,
            },
          }
        : {
            fxRate: { rate: fields.fx.rate, sourceCurrency: currency, targetCurrency: 'USD' },
            netAmount: { amount: fields.fx.settled, currency: 'USD' },
            settledAmount: { amount: fields.fx.settled, currency: 'USD' },
          }),
      createdAt: hoursAgo(2),
    };
  }

  function fee(paymentId: string, amount: string): Record<string, unknown> {
    return {
      id: { source: 'payoneer', sourceId: `${paymentId}:fee` },
      sourceRecord: { type: 'payment', source: 'payoneer', sourceId: paymentId },
      kind: 'processing',
      amount: { amount, currency: 'USD' },
      description: `Payoneer fee on received payment ${paymentId}`,
      occurredAt: hoursAgo(2),
    };
  }

  async function publish(topic: string, value: Record<string, unknown>): Promise<void> {
    const message: OutgoingMessage = { key: (value['id'] as { sourceId: string }).sourceId, value };
    batch.push({ topic, message });
    await bus.publish(topic, [message]);
  }

  const worker = (): ReconciliationWorker => runtime.app.get(ReconciliationWorker);
  const total = (name: string): Decimal => new Decimal(orders[name]!.Totals.Total);

  it('reconciles a mixed batch: one balanced entry per match, orders Reconciled, the mismatch in review with an alert', async () => {
    const { merchant } = await control('POST', '/scenarios/merchant', {
      customers: 1,
      vendors: 1,
      affiliates: 1,
      products: 2,
      orders: 0,
      reset: false,
    });
    const customer = merchant.customers[0] as { ID: number };
    const product = merchant.products[0] as { ID: number };
    // Quantities chosen so no total equals another, half the split order's or the two multi orders' sum:
    // no payment fits a second order by amount alone.
    const quantities = {
      exact: 1,
      net: 3,
      fx: 5,
      split: 14,
      multiA: 9,
      multiB: 11,
      typo: 13,
      mismatch: 17,
      lowConfidence: 19,
    };
    const names = Object.keys(quantities) as Array<keyof typeof quantities>;
    for (const [index, name] of names.entries()) {
      const created = await clarity('POST', '/Ordering/SalesOrder/Create', {
        AccountID: customer.ID,
        CustomKey: `INV-${tag}${String(31_407 + index * 1_379)}`,
        CurrencyKey: 'USD',
        SalesItems: [{ ProductID: product.ID, Quantity: quantities[name] }],
      });
      expect(created.ActionSucceeded).toBe(true);
      orders[name] = created.Result as ClarityOrder;
    }
    for (const order of Object.values(orders)) await publish(ORDER_TOPIC, canonicalOrder(order));
    // Payments that arrive before their order are found by fewer rules; the shipped flows deliver orders first too.
    await eventually(
      () => worker().handled().orders >= names.length,
      30_000,
      'the orders ingested',
    );

    const key = (name: string): string => orders[name]!.CustomKey;
    const feeOf = (amount: Decimal): string => amount.times('0.025').toFixed(2);
    const payments: Array<Record<string, unknown>> = [];
    const exactFee = feeOf(total('exact'));
    payments.push(
      payment(`TX-${tag}-EXACT`, {
        reference: key('exact'),
        amount: total('exact').toFixed(2),
        fee: exactFee,
      }),
    );
    const netFee = feeOf(total('net'));
    payments.push(
      payment(`TX-${tag}-NET`, {
        reference: key('net'),
        amount: total('net').minus(netFee).toFixed(2),
        fee: netFee,
        netOfFee: true,
      }),
    );
    // Paid in EUR, credited to the USD balance at Payoneer's rate, less a USD fee.
    const eur = total('fx').div('1.0834').toDecimalPlaces(2);
    const credited = eur.times('1.0834').toDecimalPlaces(2);
    const fxFee = feeOf(credited);
    payments.push(
      payment(`TX-${tag}-FX`, {
        reference: key('fx'),
        amount: eur.toFixed(2),
        currency: 'EUR',
        fee: fxFee,
        fx: { rate: '1.0834', settled: credited.minus(fxFee).toFixed(2) },
      }),
    );
    const half = total('split').div(2).toDecimalPlaces(2);
    payments.push(
      payment(`TX-${tag}-SPLIT1`, { reference: key('split'), amount: half.toFixed(2), fee: '0' }),
    );
    payments.push(
      payment(`TX-${tag}-SPLIT2`, {
        reference: key('split'),
        amount: total('split').minus(half).toFixed(2),
        fee: '0',
      }),
    );
    payments.push(
      payment(`TX-${tag}-MULTI`, {
        reference: `${key('multiA')}, ${key('multiB')}`,
        amount: total('multiA').plus(total('multiB')).toFixed(2),
        fee: '0',
      }),
    );
    const typo = key('typo').slice(0, -1) + (key('typo').endsWith('9') ? '8' : '9');
    payments.push(
      payment(`TX-${tag}-TYPO`, { reference: typo, amount: total('typo').toFixed(2), fee: '0' }),
    );
    payments.push(
      payment(`TX-${tag}-MISMATCH`, {
        reference: key('mismatch'),
        amount: total('mismatch').plus(25).toFixed(2),
        fee: '0',
      }),
    );
    for (const value of payments) await publish(PAYMENT_TOPIC, value);
    await publish(FEE_TOPIC, fee(`TX-${tag}-EXACT`, exactFee));
    await publish(FEE_TOPIC, fee(`TX-${tag}-NET`, netFee));

    const expected = {
      [`revenue:clarity:${orders['exact']!.ID}`]: ['exact'],
      [`revenue:clarity:${orders['net']!.ID}`]: ['net'],
      [`revenue:clarity:${orders['fx']!.ID}`]: ['fx'],
      [`revenue:clarity:${orders['split']!.ID}`]: ['split'],
      [`revenue:${[orders['multiA']!.ID, orders['multiB']!.ID]
        .map((id) => `clarity:${id}`)
        .sort()
        .join('+')}`]: ['multiA', 'multiB'],
      [`revenue:clarity:${orders['typo']!.ID}`]: ['typo'],
      [`fee:payoneer:TX-${tag}-EXACT:fee`]: [],
      [`fee:payoneer:TX-${tag}-NET:fee`]: [],
    };
    const entries = await eventually(
      async () => {
        const posted = byReference(await erpEntries());
        return Object.keys(expected).every((reference) => posted.has(reference))
          ? posted
          : undefined;
      },
      60_000,
      'the revenue and fee entries in the ERP',
    );
    for (const reference of Object.keys(expected)) {
      const [entry, ...more] = entries.get(reference)!;
      expect(more).toEqual([]);
      expect(entry!.docstatus).toBe(1);
      expect(entry!.total_debit).toBeGreaterThan(0);
      expect(entry!.total_debit).toBeCloseTo(entry!.total_credit, 6);
    }
    expect([...entries.keys()].filter((reference) => !(reference in expected))).toEqual([]);

    // Revenue books the orders' totals; the fee lands once, on its own entry (gross as cash in the revenue entry).
    const exactEntry = await erpEntry(
      entries.get(`revenue:clarity:${orders['exact']!.ID}`)![0]!.name,
    );
    const lines = (entry: JournalEntry) =>
      entry.accounts!.map((row) => [
        row.account,
        row.debit_in_account_currency,
        row.credit_in_account_currency,
      ]);
    expect(lines(exactEntry)).toEqual([
      ['Payoneer Clearing - SDM', total('exact').toNumber(), 0],
      ['Sales - SDM', 0, total('exact').toNumber()],
    ]);
    const feeEntry = await erpEntry(entries.get(`fee:payoneer:TX-${tag}-NET:fee`)![0]!.name);
    expect(lines(feeEntry)).toEqual([
      ['Payoneer Fees - SDM', Number(netFee), 0],
      ['Payoneer Clearing - SDM', 0, Number(netFee)],
    ]);
    const fxEntry = await erpEntry(entries.get(`revenue:clarity:${orders['fx']!.ID}`)![0]!.name);
    expect(fxEntry.total_credit).toBe(total('fx').toNumber());

    for (const name of Object.values(expected).flat()) {
      await eventually(
        async () => (await orderStatus(orders[name]!.ID)) === 'Reconciled',
        30_000,
        `order ${name} Reconciled`,
      );
    }
    expect(await orderStatus(orders['mismatch']!.ID)).not.toBe('Reconciled');
    expect(await orderStatus(orders['lowConfidence']!.ID)).not.toBe('Reconciled');

    const review = await api('GET', '/api/reconciliation/review-items?status=open&reason=mismatch');
    expect(review.status).toBe(200);
    expect(review.json.items.map((item: { subjectKey: string }) => item.subjectKey)).toEqual([
      `payoneer:TX-${tag}-MISMATCH`,
    ]);
    const item = (await api('GET', `/api/reconciliation/review-items/${review.json.items[0].id}`))
      .json;
    expect(item.candidates[0].orderKeys).toEqual([`clarity:${orders['mismatch']!.ID}`]);
    const alerts = await api(
      'GET',
      `/api/alerts?rule=reconciliation_mismatch&subject=${encodeURIComponent(`payoneer:TX-${tag}-MISMATCH`)}`,
    );
    expect(alerts.json.items).toHaveLength(1);
    expect(alerts.json.items[0].details).toMatchObject({
      team: 'finance',
      reason: 'mismatch',
      reviewItemId: item.id,
    });

    const today = new Date().toISOString().slice(0, 10);
    const report = await api(
      'GET',
      `/api/reconciliation/report?from=${hoursAgo(48).slice(0, 10)}&to=${today}`,
    );
    expect(report.status).toBe(200);
    const usd = (
      report.json as Array<{
        currency: string;
        matchedCount: number;
        postedCount: number;
        inReviewCount: number;
      }>
    ).filter((row) => row.currency === 'USD');
    expect(usd.reduce((sum, row) => sum + row.matchedCount, 0)).toBe(6);
    expect(usd.reduce((sum, row) => sum + row.postedCount, 0)).toBe(6);
    expect(usd.reduce((sum, row) => sum + row.inReviewCount, 0)).toBe(1);

    // The dashboard's reconciliation section reads the same state.
    const feed = runtime.app.get<ReconciliationFeed>(RECONCILIATION_FEED);
    const summary = await feed.summary();
    expect(summary.counts).toEqual([
      { status: 'posted', count: 6 },
      { status: 'matched, not posted', count: 0 },
      { status: 'pending', count: 0 },
      { status: 'in review', count: 1 },
    ]);
    expect(summary.review.map((row) => [row.reference, row.reason])).toEqual([
      [`payoneer:TX-${tag}-MISMATCH`, 'mismatch'],
    ]);
  });

  it('changes nothing when the whole batch is replayed', async () => {
    const before = await erpEntries();
    const statuses = await Promise.all(Object.values(orders).map((order) => orderStatus(order.ID)));
    const handled = worker().handled();
    const alertsBefore = (await api('GET', '/api/alerts?rule=reconciliation_mismatch')).json.items;
    const replayed = batch.filter(({ topic }) => topic !== FEE_TOPIC).length;
    for (const { topic, message } of [...batch]) await bus.publish(topic, [message]);
    await eventually(
      () => {
        const now = worker().handled();
        return now.orders + now.payments >= handled.orders + handled.payments + replayed;
      },
      30_000,
      'the replayed orders and payments handled',
    );
    // The fee flow is the runtime's ordinary flow worker: wait until its replayed events are recorded.
    await eventually(
      async () => {
        const executions = await api('GET', '/api/executions?flowId=canonical-fee-to-erp&limit=50');
        return executions.json.items.length >= 4;
      },
      30_000,
      'the replayed fee events executed',
    );

    expect((await erpEntries()).map((entry) => entry.name).sort()).toEqual(
      before.map((entry) => entry.name).sort(),
    );
    expect(await Promise.all(Object.values(orders).map((order) => orderStatus(order.ID)))).toEqual(
      statuses,
    );
    const alertsAfter = (await api('GET', '/api/alerts?rule=reconciliation_mismatch')).json.items;
    expect(
      alertsAfter.map((alert: { id: string; count: number }) => [alert.id, alert.count]),
    ).toEqual(alertsBefore.map((alert: { id: string; count: number }) => [alert.id, alert.count]));
    expect((await api('GET', '/api/reconciliation/review-items?status=open')).json.total).toBe(1);
  });

  it('review API: approving posts the entry and marks the order, a refund posts, dismiss closes, all audited; bad input is a 400', async () => {
    const order = orders['lowConfidence']!;
    // No reference: only the amount and the date speak for the order, so a person decides.
    await publish(
      PAYMENT_TOPIC,
      payment(`TX-${tag}-LOW`, { amount: total('lowConfidence').toFixed(2), fee: '0' }),
    );
    const item = await eventually(
      async () => {
        const page = await api(
          'GET',
          `/api/reconciliation/review-items?status=open&subjectKey=${encodeURIComponent(`payoneer:TX-${tag}-LOW`)}`,
        );
        return page.json.items[0] as { id: string; reason: string } | undefined;
      },
      30_000,
      'the low-confidence review item',
    );
    expect(item.reason).toBe('low_confidence');

    const bad = await api('POST', `/api/reconciliation/review-items/${item.id}/approve`, {
      orderKeys: 'clarity:1',
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      error: 'bad_request',
      path: `/api/reconciliation/review-items/${item.id}/approve`,
    });
    expect(bad.json.message).toContain('orderKeys');
    const both = await api('POST', `/api/reconciliation/review-items/${item.id}/approve`, {
      orderKeys: ['clarity:1'],
      paymentKeys: ['payoneer:X'],
    });
    expect(both.status).toBe(400);
    const badCorrection = await api(
      'POST',
      `/api/reconciliation/review-items/${item.id}/corrections`,
      { kind: 'rebate', amount: '-1', remark: 'x' },
    );
    expect(badCorrection.status).toBe(400);
    expect(badCorrection.json.details.join(' ')).toMatch(/kind[\s\S]*amount[\s\S]*remark/);
    expect(
      (await api('GET', '/api/reconciliation/report?from=2026-13-01&to=2026-01-01')).status,
    ).toBe(400);
    expect(
      (await api('POST', `/api/reconciliation/review-items/${item.id}/dismiss`, {})).status,
    ).toBe(400);

    // The dashboard lists it with the matcher's best candidate and the buttons an operator may press.
    const operator = await api('POST', '/api/keys', { name: 'recon-operator', role: 'operator' });
    const viewer = await api('POST', '/api/keys', { name: 'recon-viewer', role: 'viewer' });
    const asOperator = await dashboardSession(runtime.url, operator.json.key as string);
    const asViewer = await dashboardSession(runtime.url, viewer.json.key as string);
    const page = (await asOperator('GET', '/')).text;
    expect(page).toContain(`data-review="${item.id}"`);
    expect(page).toContain(`/dashboard/reconciliation/review-items/${item.id}/approve`);
    expect((await asViewer('GET', '/')).text).not.toContain(
      `/dashboard/reconciliation/review-items/${item.id}/approve`,
    );
    expect(
      (await asViewer('POST', `/dashboard/reconciliation/review-items/${item.id}/approve`)).status,
    ).toBe(403);
    expect(
      (
        await asOperator('POST', `/dashboard/reconciliation/review-items/${item.id}/dismiss`, {
          reason: '',
        })
      ).status,
    ).toBe(400);

    const approved = await api('POST', `/api/reconciliation/review-items/${item.id}/approve`, {
      orderKeys: [`clarity:${order.ID}`],
    });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ reference: `revenue:clarity:${order.ID}`, posted: true });
    const entries = byReference(await erpEntries()).get(`revenue:clarity:${order.ID}`);
    expect(entries).toHaveLength(1);
    expect(entries![0]!.total_debit).toBe(total('lowConfidence').toNumber());
    expect(await orderStatus(order.ID)).toBe('Reconciled');
    const again = await api('POST', `/api/reconciliation/review-items/${item.id}/approve`, {});
    expect(again.status).toBe(409);
    const pressedAgain = await asOperator(
      'POST',
      `/dashboard/reconciliation/review-items/${item.id}/approve`,
    );
    expect([pressedAgain.status, pressedAgain.location]).toEqual([
      303,
      expect.stringContaining(`review item ${item.id}`),
    ]);

    // The mismatch: the customer paid 25.00 too much; finance refunds it, then closes the item.
    const mismatch = (
      await api('GET', `/api/reconciliation/review-items?status=open&reason=mismatch`)
    ).json.items[0] as { id: string };
    const refund = await api(
      'POST',
      `/api/reconciliation/review-items/${mismatch.id}/corrections`,
      {
        kind: 'refund',
        amount: '25.00',
        remark: 'overpaid by 25.00, refunded to the customer',
      },
    );
    expect(refund.status).toBe(200);
    expect(refund.json).toMatchObject({
      reference: `refund:review:${mismatch.id}:1`,
      posted: true,
    });
    const [refundEntry, ...others] =
      byReference(await erpEntries()).get(`refund:review:${mismatch.id}:1`) ?? [];
    expect(others).toEqual([]);
    expect([refundEntry?.total_debit, refundEntry?.total_credit]).toEqual([25, 25]);
    // Finance closes it with the dashboard's Dismiss button.
    const pressed = await asOperator(
      'POST',
      `/dashboard/reconciliation/review-items/${mismatch.id}/dismiss`,
      {
        reason: 'refunded the overpayment; order settled by hand',
      },
    );
    expect([pressed.status, pressed.location]).toEqual([
      303,
      expect.stringContaining(`Dismissed review item ${mismatch.id}`),
    ]);
    const dismissed = await api('GET', `/api/reconciliation/review-items/${mismatch.id}`);
    expect(dismissed.json).toMatchObject({
      status: 'dismissed',
      resolvedBy: expect.stringMatching(/^key:/),
    });
    expect(
      (
        await api('POST', `/api/reconciliation/review-items/${mismatch.id}/dismiss`, {
          reason: 'again',
        })
      ).status,
    ).toBe(409);
    const audit = await runtime.dataSource.query<Array<{ action: string; subject_id: string }>>(
      `SELECT action, subject_id FROM audit_log WHERE subject_type = 'reconciliation_review_item' ORDER BY id`,
    );
    expect(audit.map((row) => [row.action, row.subject_id])).toEqual([
      ['reconciliation.review.rematch', item.id],
      ['reconciliation.review.refund', mismatch.id],
      ['reconciliation.review.dismiss', mismatch.id],
    ]);
  });
  it('retries ERP and Clarity failures, alerts on a lasting ERP outage and posts once from the sweep; stale orders go to review', async () => {
    const { merchant } = await control('POST', '/scenarios/merchant', {
      customers: 1,
      vendors: 1,
      affiliates: 1,
      products: 1,
      orders: 0,
      reset: false,
    });
    const create = async (name: string, quantity: number): Promise<ClarityOrder> => {
      const created = await clarity('POST', '/Ordering/SalesOrder/Create', {
        AccountID: merchant.customers[0].ID,
        CustomKey: `INV-${tag}-${name.toUpperCase()}`,
        CurrencyKey: 'USD',
        SalesItems: [{ ProductID: merchant.products[0].ID, Quantity: quantity }],
      });
      expect(created.ActionSucceeded).toBe(true);
      return (orders[name] = created.Result as ClarityOrder);
    };
    const paid = async (order: ClarityOrder): Promise<void> => {
      await publish(ORDER_TOPIC, canonicalOrder(order));
      await publish(
        PAYMENT_TOPIC,
        payment(`TX-${tag}-${order.ID}`, {
          reference: order.CustomKey,
          amount: order.Totals.Total.toFixed(2),
          fee: '0',
        }),
      );
    };
    const entriesFor = async (order: ClarityOrder): Promise<JournalEntry[]> =>
      byReference(await erpEntries()).get(`revenue:clarity:${order.ID}`) ?? [];

    await control('DELETE', '/faults');
    await control('POST', '/faults', {
      system: 'erp',
      route: 'POST /api/resource/:doctype',
      kind: '503',
      count: 2,
    });
    await control('POST', '/faults', {
      system: 'clarity',
      route: 'PUT /Ordering/SalesOrder/Update',
      kind: '429',
      count: 1,
      retryAfterSeconds: 0,
    });
    const flaky = await create('flaky', 23);
    await paid(flaky);
    await eventually(
      async () => (await orderStatus(flaky.ID)) === 'Reconciled',
      30_000,
      'the order Reconciled through the faults',
    );
    expect(await entriesFor(flaky)).toHaveLength(1);
    const fired = (await control('GET', '/faults')).rules as Array<{ kind: string; fired: number }>;
    expect(fired.map((rule) => [rule.kind, rule.fired])).toEqual([
      ['503', 2],
      ['429', 1],
    ]);

    await control('DELETE', '/faults');
    await control('POST', '/faults', {
      system: 'erp',
      route: 'POST /api/resource/:doctype',
      kind: '500',
      count: 1000,
    });
    const outage = await create('outage', 29);
    await paid(outage);
    const alert = await eventually(
      async () => {
        const page = await api(
          'GET',
          `/api/alerts?rule=reconciliation_posting_failed&subject=${encodeURIComponent(`revenue:clarity:${outage.ID}`)}`,
        );
        return page.json.items[0] as
          { severity: string; details: Record<string, unknown> } | undefined;
      },
      30_000,
      'the posting-failed alert',
    );
    expect(alert).toMatchObject({
      severity: 'critical',
      details: { team: 'finance', failureType: 'transient' },
    });
    expect(await entriesFor(outage)).toEqual([]);
    expect(await orderStatus(outage.ID)).not.toBe('Reconciled');

    // An order nobody paid, placed long before the unmatched window.
    const stale = await create('stale', 31);
    const before = worker().handled().orders;
    await publish(ORDER_TOPIC, { ...canonicalOrder(stale), createdAt: hoursAgo(100) });
    await eventually(() => worker().handled().orders > before, 10_000, 'the stale order ingested');

    await control('DELETE', '/faults');
    const sweep = await api('POST', '/api/reconciliation/sweep');
    expect(sweep.status).toBe(200);
    expect(sweep.json.posted).toBe(1);
    expect(sweep.json.sweptIntoReview).toBeGreaterThanOrEqual(1);
    expect(await entriesFor(outage)).toHaveLength(1);
    expect(await orderStatus(outage.ID)).toBe('Reconciled');
    expect((await api('POST', '/api/reconciliation/sweep')).json).toMatchObject({
      retriedPostings: 0,
      posted: 0,
    });
    expect(await entriesFor(outage)).toHaveLength(1);

    const staleItems = await api(
      'GET',
      `/api/reconciliation/review-items?status=open&subjectKey=clarity:${stale.ID}`,
    );
    expect(staleItems.json.items.map((item: { reason: string }) => item.reason)).toEqual([
      'unmatched',
    ]);
    const staleAlerts = await api(
      'GET',
      `/api/alerts?rule=reconciliation_mismatch&subject=clarity:${stale.ID}`,
    );
    expect(staleAlerts.json.items).toHaveLength(1);
  });
});
