import { type PayoutItem } from '@switchboard/persistence';
import { PayoutStateError } from './payout.errors';
import { type PayoutGateway, type PayoutSubmission } from './payout-gateway.port';
import { type PayoutLine } from './payout-line';
import { startPayoutTestBed, type PayoutTestBed } from './testing/payout-test-bed';

interface LedgerPayout {
  clientReferenceId: string;
  payeeId: string;
  amount: string;
  currency: string;
  status: string;
  cancelReasonCode?: number;
}

const CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
const ITEMS_PER_CURRENCY = 40;
/** Every EUR line is 25.00; EUR starts with 600.00, so the EUR queue runs dry mid-batch. */
const EUR_AMOUNT = '25.00';

/** 120 lines: parties P-001…P-040 in three currencies; a few owed to parties with no usable payee. */
function commissionLines(): PayoutLine[] {
  const lines: PayoutLine[] = [];
  for (const currency of CURRENCIES) {
    for (let n = 1; n <= ITEMS_PER_CURRENCY; n++) {
      const party = `P-${String(n).padStart(3, '0')}`;
      lines.push({
        businessReference: `COMM-2026-03-${currency}-${party}`,
        partyReference: n === 7 ? 'P-UNMAPPED' : n === 13 ? 'P-INACTIVE' : party,
        amount: currency === 'EUR' ? EUR_AMOUNT : `${10 + n}.${String(n % 100).padStart(2, '0')}`,
        currency,
        description: `March commission for ${party}`,
      });
    }
  }
  return lines;
}

/** Wraps a gateway so that the Nth accepted submission "crashes" the process: the call never returns. */
function crashAfterAcceptedSubmission(nth: number, onCrash: () => void) {
  return (gateway: PayoutGateway): PayoutGateway => {
    let accepted = 0;
    return {
      getBalance: (currency) => gateway.getBalance(currency),
      getStatus: (reference) => gateway.getStatus(reference),
      cancel: (reference) => gateway.cancel(reference),
      getPayeeStatus: (payeeId) => gateway.getPayeeStatus(payeeId),
      submit: async (items: readonly PayoutSubmission[]) => {
        await gateway.submit(items);
        accepted++;
        if (accepted < nth) return;
        onCrash();
        // Payoneer has the chunk; this process dies before storing that it does.
        return new Promise<void>(() => undefined);
      },
    };
  };
}

// Real sandbox, real PostgreSQL, and real Retry-After waits in the 429 storm.
jest.setTimeout(60_000);

describe('payout batches against the sandbox Payoneer', () => {
  let bed: PayoutTestBed;

  const ledger = async (): Promise<LedgerPayout[]> =>
    ((await bed.control('/payouts', undefined, 'GET')) as { payouts: LedgerPayout[] }).payouts;
  const businessReferenceOf = (clientReferenceId: string) =>
    clientReferenceId.replace(/-A\d+$/, '');
  const itemsIn = async (batchId: string, status: PayoutItem['status']) =>
    bed.instance.batches.listItems(batchId, [status]);

  beforeAll(async () => {
    bed = await startPayoutTestBed({
      chunkSize: 15,
      initialBalances: { USD: '100000.00', EUR: '600.00', GBP: '10000.00' },
    });
    for (let n = 1; n <= ITEMS_PER_CURRENCY; n++) {
      const party = `P-${String(n).padStart(3, '0')}`;
      await bed.control('/payoneer/payees', { payeeId: `PAYEE-${party}` });
      bed.payees.set(party, `PAYEE-${party}`);
    }
    await bed.control('/payoneer/payees', { payeeId: 'PAYEE-P-INACTIVE', status: 'INACTIVE' });
    bed.payees.set('P-INACTIVE', 'PAYEE-P-INACTIVE');
  });
  afterAll(async () => {
    await bed.close();
  });

  it('pays every valid item of a 120-item, 3-currency batch exactly once through invalid payees, a crash, a pause for funds and a 429 storm', async () => {
    const view = await bed.instance.batches.createBatch({
      reference: 'COMMISSIONS-2026-03',
      source: 'api',
      createdBy: 'finance@example.com',
      lines: commissionLines(),
    });
    expect(view.total).toBe(120);
    const batchId = view.batch.id;

    // Validation before anything is sent: unmapped and inactive payees go to review, alone.
    const queued = await bed.instance.batches.queueBatch(batchId, 'finance@example.com');
    expect(queued).toEqual({ queued: 114, inReview: 6 });
    const reviewReasons = (await itemsIn(batchId, 'in_review')).map((item) => item.statusReason);
    expect(reviewReasons).toEqual(
      expect.arrayContaining([
        'no Payoneer payee is mapped to P-UNMAPPED',
        'payee PAYEE-P-INACTIVE is inactive at Payoneer',
      ]),
    );
    expect(bed.alerts.alerts.filter((alert) => alert.details['team'] === 'finance')).toHaveLength(
      6,
    );
    expect(await ledger()).toEqual([]);

    // Payoneer will cancel two accepted items as "payee not found" (invalid recipients it alone knows about).
    await bed.control('/faults', {
      system: 'payoneer',
      route: 'POST /v4/programs/:programId/masspayouts',
      kind: 'invalid_payee',
      after: 40,
      count: 2,
    });

    // Instance A dies right after Payoneer accepted its second chunk, before storing the answer.
    let crashed!: () => void;
    const crash = new Promise<void>((resolve) => (crashed = resolve));
    const doomed = await bed.startInstance(crashAfterAcceptedSubmission(2, () => crashed()));
    void doomed.submission.processQueues();
    await crash;
    await doomed.dataSource.destroy();
    const sentBeforeCrash = await ledger();
    expect(sentBeforeCrash.length).toBeGreaterThan(15);
    const unanswered = await bed.instance.repository.listItems(batchId, ['submitted']);
    expect(unanswered.length).toBeGreaterThan(0);

    // A 429 storm on every Payoneer route while the next instance works: it waits as told and goes on.
    await bed.control('/faults', {
      system: 'payoneer',
      route: '*',
      kind: '429',
      probability: 0.5,
      count: 4,
      retryAfterSeconds: 1,
      seed: 3,
    });

    // Instance B takes over: it asks Payoneer about the unanswered chunk instead of resending it.
    const survivor = await bed.startInstance();
    const firstRun = await survivor.submission.processQueues();
    expect(firstRun.reconciled).toBe(unanswered.length);
    expect(firstRun.paused).toEqual(['EUR']);
    const { rules } = (await bed.control('/faults', undefined, 'GET')) as {
      rules: Array<{ kind: string; fired: number }>;
    };
    expect(rules.find((rule) => rule.kind === '429')?.fired).toBe(4);

    // EUR stopped mid-batch: 600.00 paid 24 of its 38 valid items; treasury was told; the rest waits queued.
    const eurQueued = (await itemsIn(batchId, 'queued')).filter((item) => item.currency === 'EUR');
    expect(eurQueued).toHaveLength(38 - 24);
    const treasury = bed.alerts.alerts.filter(
      (alert) => alert.rule === 'payouts.insufficient_funds',
    );
    expect(treasury).toHaveLength(1);
    expect(treasury[0]?.details).toMatchObject({ team: 'treasury', currency: 'EUR' });
    expect(await survivor.submission.pollPausedQueues()).toEqual([]);
    expect((await survivor.submission.processQueues()).submitted).toBe(0);

    // Funded through the sandbox: the balance poll resumes the queue, which continues where it stopped.
    await bed.control('/payoneer/fund', { currency: 'EUR', amount: '1000.00' });
    expect(await survivor.submission.pollPausedQueues()).toEqual(['EUR']);
    const resumed = await survivor.submission.processQueues();
    expect(resumed).toMatchObject({ submitted: 14, paused: [] });
    expect(await itemsIn(batchId, 'queued')).toEqual([]);

    // Payoneer settles; items without news are polled.
    await bed.control('/clock/advance', { seconds: 10 });
    const poll = await survivor.tracker.pollAwaitingNews();
    expect(poll.checked).toBe(114);
    const view2 = await survivor.batches.getBatch(batchId);
    expect(view2.counts).toEqual({ paid: 112, in_review: 8 });

    // The ledger: every client reference once, every valid business reference transferred exactly once.
    const payouts = await ledger();
    expect(new Set(payouts.map((payout) => payout.clientReferenceId)).size).toBe(payouts.length);
    expect(payouts).toHaveLength(114);
    const transferred = payouts.filter((payout) => payout.status === 'Transferred');
    expect(transferred).toHaveLength(112);
    expect(
      new Set(transferred.map((payout) => businessReferenceOf(payout.clientReferenceId))).size,
    ).toBe(112);
    const cancelled = payouts.filter((payout) => payout.status === 'Cancelled');
    expect(cancelled.map((payout) => payout.cancelReasonCode)).toEqual([10005, 10005]);
    const cancelledItems = await Promise.all(
      cancelled.map((payout) =>
        survivor.repository.findItemByClientReference(payout.clientReferenceId),
      ),
    );
    expect(cancelledItems.map((item) => item?.status)).toEqual(['in_review', 'in_review']);
  });

  it('re-initiates a corrected item as a new linked attempt that is paid once, and never re-pays a paid one', async () => {
    const { instance } = bed;
    const [batch] = (
      await instance.dataSource.query<Array<{ id: string }>>(`SELECT id FROM payout_batches`)
    ).map((row) => row.id);
    const inReview = await instance.batches.listItems(batch!, ['in_review']);
    const unmapped = inReview.find(
      (item) => item.partyReference === 'P-UNMAPPED' && item.currency === 'USD',
    )!;
    const refusedByPayoneer = inReview.find((item) => item.submittedAt !== null)!;

    // Not yet corrected: refused, nothing changes.
    await expect(
      instance.batches.reinitiateItem(unmapped.id, { actor: 'ops@example.com' }),
    ).rejects.toThrow('no Payoneer payee is mapped to P-UNMAPPED');

    // Finance registers the payee and corrects the id map; the operator re-initiates both.
    await bed.control('/payoneer/payees', { payeeId: 'PAYEE-P-NEW' });
    bed.payees.set('P-UNMAPPED', 'PAYEE-P-NEW');
    const second = await instance.batches.reinitiateItem(unmapped.id, { actor: 'ops@example.com' });
    expect(second).toMatchObject({
      attempt: 2,
      clientReferenceId: `${unmapped.businessReference}-A2`,
      previousAttemptId: unmapped.id,
      payeeId: 'PAYEE-P-NEW',
      status: 'queued',
    });
    const retried = await instance.batches.reinitiateItem(refusedByPayoneer.id, {
      actor: 'ops@example.com',
      note: 'payee confirmed with Payoneer support',
    });
    expect(retried.previousAttemptId).toBe(refusedByPayoneer.id);
    await expect(
      instance.batches.reinitiateItem(unmapped.id, { actor: 'ops@example.com' }),
    ).rejects.toThrow(PayoutStateError);

    expect(await instance.submission.processQueues()).toMatchObject({ submitted: 2 });
    await bed.control('/clock/advance', { seconds: 10 });
    await instance.tracker.pollAwaitingNews();

    const history = await instance.batches.getItemHistory(second.id);
    expect(history.attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 'cancelled'],
      [2, 'paid'],
    ]);
    expect(history.transitions.map((transition) => transition.toStatus)).toEqual([
      'queued',
      'submitted',
      'pending',
      'paid',
    ]);
    const firstAttempt = await instance.batches.getItemHistory(refusedByPayoneer.id);
    expect(firstAttempt.transitions.map((transition) => transition.toStatus)).toEqual([
      'draft',
      'queued',
      'submitted',
      'pending',
      'in_review',
      'cancelled',
    ]);

    const payouts = await ledger();
    for (const item of [unmapped, refusedByPayoneer]) {
      const attempts = payouts.filter((payout) =>
        payout.clientReferenceId.startsWith(`${item.businessReference}-A`),
      );
      expect(attempts.filter((payout) => payout.status === 'Transferred')).toHaveLength(1);
    }

    // A paid item cannot be re-initiated.
    const paid = (await instance.batches.listItems(batch!, ['paid']))[0]!;
    await expect(
      instance.batches.reinitiateItem(paid.id, { actor: 'ops@example.com' }),
    ).rejects.toThrow(/is paid; only items in review can be re-initiated/);
    const audit = await instance.dataSource.query<Array<{ action: string }>>(
      `SELECT action FROM audit_log WHERE action = 'payouts.item.reinitiate'`,
    );
    expect(audit).toHaveLength(2);
  });
});
