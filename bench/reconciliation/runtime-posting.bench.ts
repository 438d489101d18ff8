/**
 * Reconciliation in the runtime, end to end against the sandbox: N Clarity orders and N exact
 * Payoneer payments on the memory bus; times how long until every match is posted to the ERP
 * simulator and its order set to Reconciled (ERP lookup + post, Clarity status, markPosted).
 *   node -r @swc-node/register bench/reconciliation/runtime-posting.bench.ts [--orders 300] [--orders-first]
 * --orders-first waits until the orders are ingested before publishing the payments (the usual
 * order of events); without it both topics are consumed at once (payments may come first).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryEventBus } from '@switchboard/event-bus';
import { createTestDatabase } from '@switchboard/persistence';
import { startSandbox } from '../../apps/sandbox/src/index';
import { loadRuntimeConfig } from '../../apps/runtime/src/config/load-runtime-config';
import { ReconciliationWorker } from '../../apps/runtime/src/reconciliation/reconciliation-worker.service';
import { startRuntime } from '../../apps/runtime/src/runtime';
import { markdownTable, numberOption, parseArgs } from '../lib/bench-report';

const ADMIN_KEY = `sb_${randomBytes(24).toString('base64url')}`;

interface ClarityOrder {
  ID: number;
  CustomKey: string;
  Totals: { Total: number };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const count = numberOption(options, 'orders', 300);
  const ordersFirst = options.has('orders-first');
  const root = resolve(__dirname, '../..');
  const flowsDir = join(mkdtempSync(join(tmpdir(), 'sb-bench-recon-')), 'flows');
  mkdirSync(flowsDir);
  const database = await createTestDatabase();
  const sandbox = await startSandbox({ port: 0, seed: 5 });
  const bus = new MemoryEventBus();
  await bus.connect();
  const config = loadRuntimeConfig(undefined, {
    SB_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
  });
  Object.assign(config.server, { port: 0 });
  Object.assign(config.database, { url: database.url, schema: database.schema });
  Object.assign(config.flows, { dir: flowsDir, mappingsDir: join(root, 'mappings') });
  config.access.bootstrapAdminKey = ADMIN_KEY;
  config.plugins = [
    {
      module: join(root, 'connectors/clarity'),
      baseUrl: `${sandbox.url}/clarity`,
      settings: { apiFlavour: 'API' },
    },
    {
      module: join(root, 'connectors/erp'),
      baseUrl: sandbox.urls.erp,
      settings: {
        company: 'Switchboard Demo Merchant',
        costCenter: 'Main - SDM',
        accounts: {
          payoneerClearing: 'Payoneer Clearing - SDM',
          revenue: 'Sales - SDM',
          feesExpense: 'Payoneer Fees - SDM',
          fxGainLoss: 'Exchange Gain/Loss - SDM',
        },
      },
    },
  ];
  Object.assign(config.reconciliation, { enabled: true, sweepIntervalMs: 0 });
  const runtime = await startRuntime(config, { bus, quiet: true });
  try {
    const api = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const response = await fetch(`${runtime.url}${path}`, {
        method,
        headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return response.json();
    };
    const { clarity, erp } = sandbox.credentials;
    for (const [name, value] of Object.entries({
      'clarity.username': clarity.username,
      'clarity.password': clarity.password,
      'erp.apiKey': erp.apiKey,
      'erp.apiSecret': erp.apiSecret,
    })) {
      await api('PUT', `/api/secrets/${name}`, { value });
    }
    const seeded = (await (
      await fetch(`${sandbox.urls.control}/scenarios/merchant`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customers: 1, vendors: 1, affiliates: 1, products: 1, orders: 0 }),
      })
    ).json()) as {
      merchant: { customers: Array<{ ID: number }>; products: Array<{ ID: number }> };
    };
    const orders: ClarityOrder[] = [];
    for (let index = 0; index < count; index++) {
      const created = (await (
        await fetch(`${sandbox.urls.clarity}/Ordering/SalesOrder/Create?apikey=${clarity.apiKey}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            AccountID: seeded.merchant.customers[0]?.ID,
            CurrencyKey: 'USD',
            SalesItems: [{ ProductID: seeded.merchant.products[0]?.ID, Quantity: 1 + (index % 7) }],
          }),
        })
      ).json()) as { Result: ClarityOrder };
      orders.push(created.Result);
    }

    const now = new Date().toISOString();
    const money = (amount: number) => ({ amount: amount.toFixed(2), currency: 'USD' });
    const started = performance.now();
    await bus.publish(
      'canonical.order.v1',
      orders.map((order) => ({
        key: String(order.ID),
        value: {
          id: { source: 'clarity', sourceId: String(order.ID) },
          orderNumber: order.CustomKey,
          status: 'pending',
          currency: 'USD',
          totals: { subTotal: money(order.Totals.Total), total: money(order.Totals.Total) },
          createdAt: now,
        },
      })),
    );
    if (ordersFirst) {
      while (runtime.app.get(ReconciliationWorker).handled().orders < count) await sleep(20);
    }
    const paymentsFrom = performance.now();
    await bus.publish(
      'canonical.payment.v1',
      orders.map((order) => ({
        key: `TX-${order.ID}`,
        value: {
          id: { source: 'payoneer', sourceId: `TX-${order.ID}` },
          transactionId: `TX-${order.ID}`,
          orderReference: order.CustomKey,
          status: 'completed',
          amount: money(order.Totals.Total),
          fee: money(1),
          netAmount: money(order.Totals.Total - 1),
          createdAt: now,
        },
      })),
    );
    const day = now.slice(0, 10);
    let posted = 0;
    let inReview = 0;
    while (posted + inReview < count) {
      await sleep(100);
      const rows = (await api('GET', `/api/reconciliation/report?from=${day}&to=${day}`)) as Array<{
        postedCount: number;
        inReviewCount: number;
      }>;
      posted = rows.reduce((sum, row) => sum + row.postedCount, 0);
      inReview = rows.reduce((sum, row) => sum + row.inReviewCount, 0);
    }
    const seconds = (performance.now() - paymentsFrom) / 1000;
    process.stdout.write(
      `${markdownTable(
        ['measure', 'value'],
        [
          ['orders / payments', `${count} / ${count}`],
          ['orders ingested before payments', ordersFirst ? 'yes' : 'no (both topics at once)'],
          ['orders ingest (s)', ((paymentsFrom - started) / 1000).toFixed(2)],
          ['posted / in review', `${posted} / ${inReview}`],
          ['payments to posted + Reconciled (s)', seconds.toFixed(2)],
          ['postings per second', (posted / seconds).toFixed(1)],
        ],
      )}\n`,
    );
  } finally {
    await runtime.close();
    await bus.disconnect();
    await sandbox.close();
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
