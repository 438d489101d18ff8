import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@switchboard/persistence';
import { startSandbox, type SandboxHandle } from '../apps/sandbox/src/index';
import { eventually } from './support/eventually';
import { dashboardSession } from './support/http-clients';
import { RuntimeProcess } from './support/runtime-process';

/**
 * Mass payouts end to end: the runtime as a real process (Kafka, real PostgreSQL) driving the
 * sandbox's Payoneer and Clarity through the real connectors. A batch of 500 Clarity commissions in
 * 3 currencies with invalid payees, an operator pause, a mid-batch insufficient-funds stop, 429
 * storms, payees refused after submission and a SIGKILL mid-submission: every valid item is paid
 * exactly once per the sandbox's payout ledger, invalid ones wait in review with alerts, statuses
 * reach Clarity.
 */
const ROOT = resolve(__dirname, '..');
const ADMIN_KEY = `sb_${randomBytes(18).toString('base64url')}`;
const BATCH_SIZE = 500;
const GHOST_PAYEE = 'GHOST-PAYEE-404';
const RUN = randomBytes(4).toString('hex');
const CLARITY_FLOW = `canonical-payout-to-clarity-${RUN}`;
const STATUS_TOPIC = `canonical.payout.v1.e2e-${RUN}`;
const PAYOUT_EVENTS = ['PaymentRequestAccepted', 'SentToBank', 'AccountCardLoaded', 'CancelPayout'];

jest.setTimeout(240_000);

interface Commission {
  ID: number;
  AccountID: number;
  Amount: number;
  CurrencyKey: string;
  StatusKey: string;
  PaymentReference: string | null;
}
interface LedgerPayout {
  clientReferenceId: string;
  payeeId: string;
  amount: string;
  currency: string;
  status: string;
}
interface ItemRow {
  id: string;
  business_reference: string;
  client_reference_id: string;
  attempt: number;
  currency: string;
  amount: string;
  status: string;
  status_reason: string | null;
  payee_id: string | null;
}
interface DryRun {
  dryRun: true;
  valid: Array<{ businessReference: string }>;
  invalid: Array<{ businessReference: string; problem: string }>;
  totals: Record<string, string>;
}

describe('mass payouts through the runtime (runtime process, Kafka, sandbox, real PostgreSQL)', () => {
  let database: TestDatabase;
  let sandbox: SandboxHandle;
  let runtime: RuntimeProcess | undefined;
  /** A second instance sharing the database and the work after the crash (advisory locks decide who runs a job). */
  let peer: RuntimeProcess | undefined;
  let port: number;
  /** A Payoneer payee that is active and paid in the first test. */
  let activeParty = '';
  const flowsDir = join(mkdtempSync(join(tmpdir(), 'sb-payouts-')), 'flows');

  beforeAll(async () => {
    mkdirSync(flowsDir);
    // Only the way back to Clarity (payout state lives in Postgres, notifications go to the payouts
    // hook), under a flow id and topic of this run: the broker may be shared with other runs.
    const flow = readFileSync(join(ROOT, 'config/flows/canonical-payout-to-clarity.yaml'), 'utf8')
      .replace('id: canonical-payout-to-clarity', `id: ${CLARITY_FLOW}`)
      .replace('topic: canonical.payout.v1', `topic: ${STATUS_TOPIC}`)
      .replace('sb.dlq.canonical-payout-to-clarity', `sb.dlq.${CLARITY_FLOW}`);
    expect(flow).toContain(STATUS_TOPIC);
    writeFileSync(join(flowsDir, `${CLARITY_FLOW}.yaml`), flow);
    database = await createTestDatabase();
    sandbox = await startSandbox({ port: 0, seed: 21, payoutSettleMs: 300 });
    port = await freePort();
  });

  afterAll(async () => {
    await runtime?.kill();
    await peer?.kill();
    await sandbox?.close();
    await database?.drop();
  });

  async function control(method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${sandbox.urls.control}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox ${method} ${path} → ${response.status}: ${text}`);
    return text === '' ? null : JSON.parse(text);
  }

  async function clarity<T>(path: string): Promise<T> {
    const response = await fetch(
      `${sandbox.urls.clarity}${path}${path.includes('?') ? '&' : '?'}apikey=${sandbox.credentials.clarity.apiKey}`,
    );
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  async function api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    key = ADMIN_KEY,
  ): Promise<{ status: number; json: T; text: string }> {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: {
        'x-api-key': key,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json: json as T, text };
  }

  async function items(): Promise<ItemRow[]> {
    return database.dataSource.query<ItemRow[]>(
      `SELECT id, business_reference, client_reference_id, attempt, currency, amount::text AS amount, status, status_reason, payee_id FROM payout_items ORDER BY seq`,
    );
  }

  /** A runtime process; `onFixedPort` false puts it on a free port (the webhooks go to the fixed one). */
  async function startRuntime(name: string, onFixedPort = true): Promise<RuntimeProcess> {
    return RuntimeProcess.start({
      name,
      database: { url: database.url, schema: database.schema },
      flowsDir,
      mappingsDir: join(ROOT, 'mappings'),
      masterKey,
      adminKey: ADMIN_KEY,
      port: onFixedPort ? port : 0,
      // Kafka, not the memory bus: statuses published just before the SIGKILL must survive it.
      kafkaBrokers: (process.env['KAFKA_BROKERS'] ?? '')
        .split(',')
        .filter((broker) => broker !== ''),
      partitions: 3,
      extraConfig: {
        plugins: [
          {
            module: join(ROOT, 'connectors/clarity'),
            baseUrl: `${sandbox.url}/clarity`,
            settings: { apiFlavour: 'API' },
            http: { retry: { initialDelayMs: 10, maxDelayMs: 50 } },
          },
          {
            module: join(ROOT, 'connectors/payoneer'),
            baseUrl: sandbox.urls.payoneer,
            settings: {
              programId: sandbox.credentials.payoneer.programId,
              accountId: sandbox.credentials.payoneer.accountId,
            },
            http: {
              retry: { initialDelayMs: 10, maxDelayMs: 200 },
              breaker: { halfOpenAfterMs: 300 },
            },
          },
        ],
        payouts: {
          enabled: true,
          account: sandbox.credentials.payoneer.programId,
          statusTopic: STATUS_TOPIC,
          chunkSize: 25,
          recoverSubmittedAfterMs: 1_500,
          statusPollAfterMs: 1_000,
          adminApprovalAbove: { USD: '100.00' },
          retry: { maxAttempts: 10, initialDelayMs: 50, maxDelayMs: 1_000 },
          schedule: {
            processQueuesMs: 300,
            pollPausedQueuesMs: 500,
            pollStatusesMs: 1_000,
            publishStatusesMs: 300,
          },
        },
      },
    });
  }
  const masterKey = randomBytes(32).toString('base64');

  it('pays every valid item of a 500-item batch exactly once through pauses, 429 storms and a SIGKILL', async () => {
    // A merchant whose affiliates and vendors are owed in USD, EUR and GBP; two payees inactive.
    await control('POST', '/scenarios/merchant', {
      customers: 20,
      vendors: 12,
      affiliates: 12,
      products: 30,
      orders: 360,
      currencies: ['USD', 'EUR', 'GBP'],
      paidRatio: 1,
      inactivePayees: 2,
    });
    const unpaid = (
      await clarity<{ Results: Commission[] }>(
        '/Accounts/Commissions?StatusKey=Unpaid&Paging.Size=1000',
      )
    ).Results;
    expect(unpaid.length).toBeGreaterThanOrEqual(BATCH_SIZE);
    const accounts = new Map(
      (
        await clarity<{ Results: Array<{ ID: number; CustomKey: string }> }>(
          '/Accounts/Accounts?Paging.Size=1000',
        )
      ).Results.map((account) => [account.ID, account.CustomKey]),
    );
    const chosen = unpaid.slice(0, BATCH_SIZE);
    const lines = chosen.map((commission) => ({
      businessReference: `clarity-commission-${commission.ID}`,
      partyReference: accounts.get(commission.AccountID) ?? `account-${commission.AccountID}`,
      amount: commission.Amount.toFixed(2),
      currency: commission.CurrencyKey,
      description: `Commission ${commission.ID}`,
    }));
    expect(new Set(lines.map((line) => line.currency))).toEqual(new Set(['USD', 'EUR', 'GBP']));
    const owed = (currency: string) =>
      lines
        .filter((line) => line.currency === currency)
        .reduce((sum, line) => sum + Math.round(Number(line.amount) * 100), 0) / 100;

    // Enough USD and EUR; GBP covers about 40 % of what is owed, so its queue stops mid-batch.
    for (const currency of ['USD', 'EUR', 'GBP'])
      await control('POST', '/payoneer/drain', { currency });
    await control('POST', '/payoneer/fund', {
      currency: 'USD',
      amount: (owed('USD') + 1000).toFixed(2),
    });
    await control('POST', '/payoneer/fund', {
      currency: 'EUR',
      amount: (owed('EUR') + 1000).toFixed(2),
    });
    await control('POST', '/payoneer/fund', {
      currency: 'GBP',
      amount: (owed('GBP') * 0.4).toFixed(2),
    });

    runtime = await startRuntime('payouts-a');
    for (const [name, value] of Object.entries({
      'clarity.username': sandbox.credentials.clarity.username,
      'clarity.password': sandbox.credentials.clarity.password,
      'payoneer.clientId': sandbox.credentials.payoneer.clientId,
      'payoneer.clientSecret': sandbox.credentials.payoneer.clientSecret,
      'payoneer.webhookSecret': sandbox.webhookSecret,
    })) {
      expect((await api('PUT', `/api/secrets/${name}`, { value })).status).toBe(200);
    }
    await control('POST', '/webhooks', {
      system: 'payoneer',
      url: `http://127.0.0.1:${port}/hooks/payoneer/payout.status_updated`,
      events: PAYOUT_EVENTS,
    });

    // One affiliate's payee is mapped to an id Payoneer does not know: review, not a payout.
    const ghostParty =
      lines.find((line) => line.partyReference.startsWith('AFF-'))?.partyReference ?? '';
    expect(
      (await api('PUT', `/api/id-maps/payoneer-payee/${ghostParty}`, { targetId: GHOST_PAYEE }))
        .status,
    ).toBe(200);

    // Bad input is a 400 naming the field.
    const bad = await api('POST', '/api/payouts/batches', {
      reference: 'BAD',
      items: [{ ...lines[0], amount: '12,50' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'bad_request', path: '/api/payouts/batches' });
    expect(JSON.stringify(bad.json.details)).toContain('amount');

    // Dry runs: from Clarity (through the Clarity connector) and of the 500 lines; nothing stored.
    const fromClarity = await api<DryRun>('POST', '/api/payouts/batches', {
      reference: 'CLARITY-DRY',
      fromClarity: true,
      dryRun: true,
    });
    expect(fromClarity.status).toBe(200);
    expect(fromClarity.json.valid.length + fromClarity.json.invalid.length).toBe(unpaid.length);
    const dry = await api<DryRun>('POST', '/api/payouts/batches', {
      reference: 'COMMISSIONS-1',
      items: lines,
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    const invalidRefs = new Set(dry.json.invalid.map((line) => line.businessReference));
    expect(dry.json.invalid.some((line) => line.problem.includes(GHOST_PAYEE))).toBe(true);
    expect(dry.json.invalid.some((line) => line.problem.includes('inactive'))).toBe(true);
    expect(dry.json.valid.length).toBe(BATCH_SIZE - invalidRefs.size);
    expect((await items()).length).toBe(0);

    const created = await api('POST', '/api/payouts/batches', {
      reference: 'COMMISSIONS-1',
      description: 'e2e commissions',
      items: lines,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      state: 'awaiting_approval',
      total: BATCH_SIZE,
      counts: { draft: BATCH_SIZE },
      approvalRole: 'admin',
    });
    const batchId = created.json.batch.id as string;
    expect(
      (
        await api('POST', '/api/payouts/batches', {
          reference: 'COMMISSIONS-1',
          items: lines.slice(0, 1),
        })
      ).status,
    ).toBe(409);

    // Above the approval limit an operator may not start it.
    const operator = await api('POST', '/api/keys', { name: 'payout-operator', role: 'operator' });
    expect(operator.status).toBe(201);
    const refused = await api(
      'POST',
      `/api/payouts/batches/${batchId}/approve`,
      undefined,
      operator.json.key as string,
    );
    expect(refused.status).toBe(403);

    // EUR held by an operator; 429 storms on sending, balances and statuses; three payees refused
    // after submission; the fifth send hangs, and the runtime is killed while it does.
    expect(
      (await api('POST', '/api/payouts/queues/EUR/pause', { note: 'treasury review' })).status,
    ).toBe(200);
    await control('POST', '/faults', {
      system: 'payoneer',
      route: 'POST /v4/programs/:programId/masspayouts',
      kind: '429',
      count: 6,
      retryAfterSeconds: 1,
    });
    await control('POST', '/faults', {
      system: 'payoneer',
      route: 'GET /v4/accounts/:accountId/balances',
      kind: '429',
      count: 8,
      probability: 0.5,
      seed: 3,
      retryAfterSeconds: 0,
    });
    await control('POST', '/faults', {
      system: 'payoneer',
      route: 'GET /v4/programs/:programId/payouts/:ref/status',
      kind: '429',
      count: 30,
      probability: 0.2,
      seed: 4,
      retryAfterSeconds: 0,
    });
    await control('POST', '/faults', {
      system: 'payoneer',
      route: 'POST /v4/programs/:programId/masspayouts',
      kind: 'invalid_payee',
      after: 30,
      count: 3,
    });
    const hang = await control('POST', '/faults', {
      system: 'payoneer',
      route: 'POST /v4/programs/:programId/masspayouts',
      kind: 'slow',
      after: 10,
      count: 1,
      delayMs: 2_500,
    });

    const approved = await api('POST', `/api/payouts/batches/${batchId}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.json).toEqual({
      queued: BATCH_SIZE - invalidRefs.size,
      inReview: invalidRefs.size,
    });

    await eventually(
      async () =>
        (
          (await control('GET', '/faults')) as { rules: Array<{ id: string; fired: number }> }
        ).rules.find((rule) => rule.id === hang.id)?.fired === 1,
      60_000,
      'a send to hang',
    );
    await runtime.kill();
    const afterKill = await items();
    expect(afterKill.filter((item) => item.status === 'submitted').length).toBeGreaterThan(0);
    expect(afterKill.filter((item) => item.status === 'queued').length).toBeGreaterThan(0);

    // Two instances take over: one on the webhook port, one beside it.
    [runtime, peer] = await Promise.all([
      startRuntime('payouts-b'),
      startRuntime('payouts-c', false),
    ]);

    // GBP stops for funds (treasury alerted) while USD drains; EUR waits for its operator.
    await eventually(
      async () =>
        (await api('GET', '/api/payouts/queues')).json.paused.some(
          (pause: { currency: string; reason: string }) =>
            pause.currency === 'GBP' && pause.reason === 'insufficient_funds',
        ),
      60_000,
      'the GBP queue to pause for funds',
    );
    // Mid-batch: what the balance covered went out, the rest waits in the queue.
    const gbp = (await items()).filter((item) => item.currency === 'GBP');
    expect(gbp.some((item) => ['pending', 'paid'].includes(item.status))).toBe(true);
    expect(gbp.some((item) => item.status === 'queued')).toBe(true);
    await eventually(
      async () =>
        (await items())
          .filter((item) => item.currency === 'USD')
          .every((item) => !['queued', 'submitted'].includes(item.status)),
      90_000,
      'the USD queue to drain',
    );
    const eurValid = lines.filter(
      (line) => line.currency === 'EUR' && !invalidRefs.has(line.businessReference),
    ).length;
    expect(
      (await items()).filter((item) => item.currency === 'EUR' && item.status === 'queued').length,
    ).toBe(eurValid);
    const treasury = await api('GET', '/api/alerts?rule=payouts.insufficient_funds');
    expect(
      treasury.json.items.some((alert: { subject: string }) => alert.subject.endsWith('/GBP')),
    ).toBe(true);

    expect((await api('POST', '/api/payouts/queues/EUR/resume')).status).toBe(200);
    await control('POST', '/payoneer/fund', { currency: 'GBP', amount: owed('GBP').toFixed(2) });
    await eventually(
      async () => (await api('GET', '/api/payouts/queues')).json.paused.length === 0,
      30_000,
      'the GBP queue to resume on its own once funded',
    );

    // Everything sent settles; the payees Payoneer refused after submission are in review.
    await eventually(
      async () =>
        (await items()).every((item) =>
          ['paid', 'in_review', 'cancelled', 'failed'].includes(item.status),
        ),
      90_000,
      'every item to settle',
    );
    const refusedLate = (await items()).filter(
      (item) => item.status === 'in_review' && !invalidRefs.has(item.business_reference),
    );
    expect(refusedLate).toHaveLength(3);
    for (const item of refusedLate) {
      const again = await api('POST', `/api/payouts/items/${item.id}/reinitiate`, {
        note: 'payee confirmed active',
      });
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({
        attempt: 2,
        clientReferenceId: `${item.business_reference}-A2`,
        previousAttemptId: item.id,
        status: 'queued',
      });
    }
    await eventually(
      async () =>
        (await items()).every((item) =>
          ['paid', 'in_review', 'cancelled', 'failed'].includes(item.status),
        ),
      60_000,
      're-initiated items to settle',
    );

    // The payout ledger: each valid commission paid exactly once, in full; nothing to invalid payees.
    const final = await items();
    const ledger = ((await control('GET', '/payouts')) as { payouts: LedgerPayout[] }).payouts;
    const transferred = ledger.filter((payout) => payout.status === 'Transferred');
    const paidRefs = transferred.map((payout) => payout.clientReferenceId.replace(/-A\d+$/, ''));
    expect(new Set(paidRefs).size).toBe(paidRefs.length);
    const validRefs = lines
      .map((line) => line.businessReference)
      .filter((ref) => !invalidRefs.has(ref));
    expect([...paidRefs].sort()).toEqual([...validRefs].sort());
    expect(new Set(ledger.map((payout) => payout.clientReferenceId)).size).toBe(ledger.length);
    for (const line of lines.filter((l) => !invalidRefs.has(l.businessReference))) {
      const payout = transferred.find((p) =>
        p.clientReferenceId.startsWith(`${line.businessReference}-A`),
      );
      expect(payout).toMatchObject({ currency: line.currency });
      expect(Number(payout?.amount)).toBe(Number(line.amount));
    }
    expect(ledger.some((payout) => payout.payeeId === GHOST_PAYEE)).toBe(false);
    expect(
      final
        .filter((item) => item.status === 'paid')
        .map((item) => item.business_reference)
        .sort(),
    ).toEqual([...validRefs].sort());
    expect(
      final
        .filter((item) => item.status === 'in_review')
        .map((item) => item.business_reference)
        .sort(),
    ).toEqual([...invalidRefs].sort());

    // The storms and refusals really happened, and notifications (not only polling) moved items.
    const rules = (
      (await control('GET', '/faults')) as {
        rules: Array<{ kind: string; route: string; fired: number }>;
      }
    ).rules;
    for (const rule of rules)
      expect({ kind: rule.kind, route: rule.route, fired: rule.fired > 0 }).toEqual({
        kind: rule.kind,
        route: rule.route,
        fired: true,
      });
    expect(rules.find((rule) => rule.kind === 'invalid_payee')?.fired).toBe(3);
    const byNotification = await database.dataSource.query<Array<{ count: string }>>(
      `SELECT count(*) AS count FROM payout_item_transitions WHERE actor = 'payoneer:notification'`,
    );
    expect(Number(byNotification[0]?.count)).toBeGreaterThan(0);

    // Finance was told about every item in review; the stored trail shows the crash recovery.
    const finance = await api('GET', '/api/alerts?rule=payouts.item_in_review&limit=500');
    expect(finance.json.total).toBeGreaterThanOrEqual(invalidRefs.size + 3);
    const alerted = new Set(
      (finance.json.items as Array<{ subject: string }>).map((alert) => alert.subject),
    );
    for (const ref of [...invalidRefs, ...refusedLate.map((item) => item.business_reference)])
      expect(alerted).toContain(`payout-item:${ref}-A1`);
    const recovered = await database.dataSource.query<Array<{ count: string }>>(
      `SELECT count(*) AS count FROM payout_item_transitions WHERE from_status = 'submitted' AND actor = 'payoneer:recovery' OR (from_status = 'submitted' AND to_status = 'queued' AND reason LIKE 'no answer was stored%')`,
    );
    expect(Number(recovered[0]?.count)).toBeGreaterThan(0);

    // Statuses back in Clarity: paid commissions are Paid with their payout reference, the rest Unpaid.
    await eventually(
      async () => {
        const all = (
          await clarity<{ Results: Commission[] }>('/Accounts/Commissions?Paging.Size=1000')
        ).Results;
        return validRefs.every(
          (ref) => all.find((c) => `clarity-commission-${c.ID}` === ref)?.StatusKey === 'Paid',
        );
      },
      60_000,
      'Clarity to mark every paid commission Paid',
    );
    const commissions = new Map(
      (
        await clarity<{ Results: Commission[] }>('/Accounts/Commissions?Paging.Size=1000')
      ).Results.map((c) => [`clarity-commission-${c.ID}`, c]),
    );
    for (const item of final.filter((i) => i.status === 'paid'))
      expect(commissions.get(item.business_reference)?.PaymentReference).toBe(
        item.client_reference_id,
      );
    for (const ref of invalidRefs) expect(commissions.get(ref)?.StatusKey).toBe('Unpaid');

    activeParty =
      lines.find((line) => validRefs.includes(line.businessReference) && line.currency === 'EUR')
        ?.partyReference ?? '';

    // The API views: list, filtered items, report.
    const listed = await api('GET', '/api/payouts/batches');
    expect(listed.json).toMatchObject({
      total: 1,
      items: [{ batch: { id: batchId }, state: 'open' }],
    });
    const review = await api(
      'GET',
      `/api/payouts/batches/${batchId}/items?status=in_review&limit=500`,
    );
    expect(review.json.total).toBe(invalidRefs.size);
    const report = await api('GET', `/api/payouts/batches/${batchId}/report.csv`);
    expect(report.status).toBe(200);
    const rows = report.text.trim().split('\r\n');
    expect(rows[0]).toContain('business_reference');
    expect(rows).toHaveLength(1 + final.length);
    const cancelled = await api('POST', `/api/payouts/batches/${batchId}/cancel-unsent`, {
      reason: 'batch closed',
    });
    expect(cancelled.json).toEqual({ cancelled: 0 });
  });

  it('builds a batch from a CSV upload, lets a viewer read but not write, and publishes nothing Clarity refuses', async () => {
    expect(activeParty).not.toBe('');
    const viewer = await api('POST', '/api/keys', { name: 'payout-viewer', role: 'viewer' });
    const operator = await api('POST', '/api/keys', { name: 'csv-operator', role: 'operator' });
    const csv = [
      'business_reference,party_reference,amount,currency,description',
      `CSV-0001,${activeParty},12.50,EUR,Bonus one`,
      `CSV-0002,${activeParty},7.25,EUR,"Bonus, two"`,
    ].join('\n');

    const broken = await api('POST', '/api/payouts/batches', {
      reference: 'CSV-BAD',
      csv: csv.replace('12.50', '12,50'),
      fileName: 'bonus.csv',
    });
    expect(broken.status).toBe(400);
    expect(JSON.stringify(broken.json.details)).toContain('bonus.csv');
    expect(
      (await api('POST', '/api/payouts/batches', { reference: 'CSV-1', csv, items: [] })).status,
    ).toBe(400);
    expect(
      (
        await api(
          'POST',
          '/api/payouts/batches',
          { reference: 'CSV-1', csv },
          viewer.json.key as string,
        )
      ).status,
    ).toBe(403);
    expect(
      (await api('GET', '/api/payouts/batches', undefined, viewer.json.key as string)).status,
    ).toBe(200);

    const dry = await api<DryRun>('POST', '/api/payouts/batches', {
      reference: 'CSV-1',
      csv,
      fileName: 'bonus.csv',
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.json).toMatchObject({ dryRun: true, invalid: [], totals: { EUR: '19.75' } });
    const created = await api('POST', '/api/payouts/batches', {
      reference: 'CSV-1',
      csv,
      fileName: 'bonus.csv',
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      batch: { source: 'csv' },
      approvalRole: 'operator',
      totals: { EUR: '19.75' },
    });
    const approved = await api(
      'POST',
      `/api/payouts/batches/${created.json.batch.id}/approve`,
      undefined,
      operator.json.key as string,
    );
    expect(approved.json).toEqual({ queued: 2, inReview: 0 });
    await eventually(
      async () =>
        ((await control('GET', '/payouts')) as { payouts: LedgerPayout[] }).payouts.filter(
          (payout) =>
            payout.clientReferenceId.startsWith('CSV-') && payout.status === 'Transferred',
        ).length === 2,
      30_000,
      'the CSV payouts to be transferred',
    );
    await eventually(
      async () =>
        (await items())
          .filter((item) => item.business_reference.startsWith('CSV-'))
          .every((item) => item.status === 'paid'),
      30_000,
      'the CSV items to be paid',
    );
    // Their statuses are not offered to the Clarity flow (no commission to mark): nothing dead-lettered.
    expect((await api('GET', '/api/dlq')).json.total).toBe(0);
  });

  it('shows batches and paused queues on the dashboard; an operator pauses and resumes with its buttons, a viewer cannot', async () => {
    const operator = await api('POST', '/api/keys', {
      name: 'dashboard-operator',
      role: 'operator',
    });
    const viewer = await api('POST', '/api/keys', { name: 'dashboard-viewer', role: 'viewer' });
    const asOperator = await dashboardSession(
      `http://127.0.0.1:${port}`,
      operator.json.key as string,
    );
    const asViewer = await dashboardSession(`http://127.0.0.1:${port}`, viewer.json.key as string);

    const page = await asOperator('GET', '/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<code>CSV-1</code>');
    expect(page.text).toContain('19.75 EUR');
    expect(page.text).not.toContain('data-pause=');

    const paused = await asOperator('POST', '/dashboard/payouts/queues/pause', {
      currency: 'GBP',
      note: 'month-end close',
    });
    expect(paused.status).toBe(303);
    expect(paused.location).toContain('Paused the GBP payout queue');
    expect((await api('GET', '/api/payouts/queues')).json.paused).toEqual([
      expect.objectContaining({ currency: 'GBP' }),
    ]);
    expect((await asOperator('GET', '/')).text).toContain('data-pause="GBP"');
    const twice = await asOperator('POST', '/dashboard/payouts/queues/pause', { currency: 'GBP' });
    expect(twice.location).toContain('already paused');

    expect((await asViewer('POST', '/dashboard/payouts/queues/GBP/resume')).status).toBe(403);
    expect((await asOperator('POST', '/dashboard/payouts/queues/gbp/resume')).status).toBe(400);
    expect(
      (await asOperator('POST', '/dashboard/payouts/queues/pause', { currency: 'pounds' })).status,
    ).toBe(400);
    const resumed = await asOperator('POST', '/dashboard/payouts/queues/GBP/resume');
    expect(resumed.location).toContain('Resumed the GBP payout queue');
    expect((await api('GET', '/api/payouts/queues')).json.paused).toEqual([]);
    // A malformed id is bad input, not a server error.
    const malformed = await api('GET', '/api/payouts/batches/not-a-batch/report.csv');
    expect([malformed.status, malformed.json?.error]).toEqual([400, 'bad_request']);
  });
});

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
