import {
  AuditLogRepository,
  createTestDatabase,
  type TestDatabase,
} from '@switchboard/persistence';
import { type CanonicalOrder, type CanonicalPayment } from './canonical-records';
import { isBalanced } from './journal-entry-plan.builder';
import { ReconciliationService } from './reconciliation.service';
import { ReconciliationInputError, ReviewConflictError } from './reconciliation.errors';

function order(id: string, overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  const total = overrides.totals?.total.amount ?? '123.45';
  return {
    id: { source: 'clarity', sourceId: id },
    orderNumber: `SO-2024-${id}`,
    status: 'confirmed',
    currency: 'EUR',
    totals: {
      subTotal: { amount: total, currency: 'EUR' },
      total: { amount: total, currency: 'EUR' },
    },
    createdAt: '2024-06-01T12:30:00Z',
    ...overrides,
  };
}

function payment(
  transactionId: string,
  overrides: Partial<CanonicalPayment> = {},
): CanonicalPayment {
  return {
    id: { source: 'payoneer', sourceId: transactionId },
    transactionId,
    orderReference: 'SO-2024-10234',
    status: 'completed',
    amount: { amount: '123.45', currency: 'EUR' },
    fee: { amount: '2.47', currency: 'EUR' },
    netAmount: { amount: '120.98', currency: 'EUR' },
    createdAt: '2024-06-02T09:00:00Z',
    ...overrides,
  };
}

const euros = (amount: string) => ({ amount, currency: 'EUR' });

describe('ReconciliationService (PostgreSQL)', () => {
  let db: TestDatabase;
  let service: ReconciliationService;
  let audit: AuditLogRepository;
  let now = new Date('2024-06-03T00:00:00Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    service = new ReconciliationService(db.dataSource, {}, { clock: () => now });
    audit = new AuditLogRepository(db.dataSource);
  });
  afterAll(() => db.drop());

  it('matches a payment exactly, plans a balanced entry, and never lets a replay post twice', async () => {
    expect(await service.ingestOrder(order('10234'))).toMatchObject({
      status: 'pending',
      reason: 'awaiting-payment',
    });
    const decision = await service.ingestPayment(payment('TX-1'));
    if (decision.status !== 'matched') throw new Error(`expected matched, got ${decision.status}`);
    expect(decision).toMatchObject({
      kind: 'exact',
      orderKeys: ['clarity:10234'],
      paymentKeys: ['payoneer:TX-1'],
      posted: false,
      duplicate: false,
    });
    expect(isBalanced(decision.plan)).toBe(true);
    expect(decision.plan.reference).toBe('revenue:clarity:10234');

    expect((await service.markPosted(decision.matchId, 'ACC-JV-2024-00001')).firstTime).toBe(true);
    const again = await service.markPosted(decision.matchId, 'ACC-JV-2024-00002');
    expect(again.firstTime).toBe(false);
    expect(again.match).toMatchObject({ status: 'posted', erpReference: 'ACC-JV-2024-00001' });

    const replay = await service.ingestPayment(payment('TX-1'));
    expect(replay).toMatchObject({
      status: 'matched',
      matchId: decision.matchId,
      duplicate: true,
      posted: true,
    });
    expect(await service.ingestOrder(order('10234'))).toMatchObject({
      status: 'matched',
      duplicate: true,
    });
    const stored = await service.getMatch(decision.matchId);
    expect(stored.evidence).toMatchObject({
      rules: expect.arrayContaining([{ rule: 'match.exact' }]),
      tolerances: expect.any(Object),
    });
  });

  it('sends an amount-only payment to review, but matches exactly on a Clarity payment transaction id', async () => {
    await service.ingestOrder(
      order('20001', { totals: { subTotal: euros('40.00'), total: euros('40.00') } }),
    );
    const early = await service.ingestPayment(
      payment('TX-20001', {
        orderReference: undefined,
        amount: euros('40.00'),
        fee: euros('0.80'),
        netAmount: euros('39.20'),
      }),
    );
    expect(early).toMatchObject({ status: 'review', reason: 'low_confidence' });

    await service.ingestOrder(
      order('20002', { totals: { subTotal: euros('41.00'), total: euros('41.00') } }),
    );
    const link = await service.ingestPayment({
      id: { source: 'clarity', sourceId: 'CP-9' },
      transactionId: 'TX-20002',
      orderId: { source: 'clarity', sourceId: '20002' },
      status: 'completed',
      amount: euros('41.00'),
      createdAt: '2024-06-01T12:31:00Z',
    });
    expect(link).toMatchObject({ status: 'pending', reason: 'link' });
    const exact = await service.ingestPayment(
      payment('TX-20002', {
        orderReference: undefined,
        amount: euros('41.00'),
        fee: euros('0.82'),
        netAmount: euros('40.18'),
      }),
    );
    expect(exact).toMatchObject({ status: 'matched', kind: 'exact', orderKeys: ['clarity:20002'] });
  });

  it('matches a payment sent to review for want of evidence once the Clarity payment links its transaction id', async () => {
    await service.ingestOrder(
      order('20101', { totals: { subTotal: euros('52.00'), total: euros('52.00') } }),
    );
    const early = await service.ingestPayment(
      payment('TX-20101', {
        orderReference: 'PNR-20101',
        amount: euros('52.00'),
        fee: euros('1.04'),
        netAmount: euros('50.96'),
      }),
    );
    if (early.status !== 'review') throw new Error(`expected review, got ${early.status}`);
    expect(early.reason).toBe('low_confidence');

    const link = await service.ingestPayment({
      id: { source: 'clarity', sourceId: 'CP-20101' },
      transactionId: 'TX-20101',
      orderId: { source: 'clarity', sourceId: '20101' },
      status: 'completed',
      amount: euros('52.00'),
      createdAt: '2024-06-01T12:31:00Z',
    });
    expect(link).toMatchObject({
      status: 'matched',
      kind: 'exact',
      orderKeys: ['clarity:20101'],
      paymentKeys: ['payoneer:TX-20101'],
    });
    expect(await service.getReviewItem(early.reviewItemId)).toMatchObject({
      status: 'resolved',
      resolvedBy: 'system',
      resolution: { action: 'rematch-on-link' },
    });
    // A replay of either record answers the match, never a second one.
    expect(
      await service.ingestPayment(
        payment('TX-20101', {
          orderReference: 'PNR-20101',
          amount: euros('52.00'),
          fee: euros('1.04'),
          netAmount: euros('50.96'),
        }),
      ),
    ).toMatchObject({ status: 'matched', duplicate: true });
  });

  it('matches a payment sent to review on amount alone once the order it names arrives', async () => {
    await service.ingestOrder(
      order('20201', { totals: { subTotal: euros('64.00'), total: euros('64.00') } }),
    );
    // Quotes WEB-77310, which is not there yet; the open order of the same amount is all it finds.
    const early = await service.ingestPayment(
      payment('TX-20202', {
        orderReference: 'WEB-77310',
        amount: euros('64.00'),
        fee: euros('1.28'),
        netAmount: euros('62.72'),
      }),
    );
    if (early.status !== 'review') throw new Error(`expected review, got ${early.status}`);
    const decision = await service.ingestOrder(
      order('20202', {
        orderNumber: 'WEB-77310',
        totals: { subTotal: euros('64.00'), total: euros('64.00') },
      }),
    );
    expect(decision).toMatchObject({
      status: 'matched',
      orderKeys: ['clarity:20202'],
      paymentKeys: ['payoneer:TX-20202'],
    });
    expect(await service.getReviewItem(early.reviewItemId)).toMatchObject({
      status: 'resolved',
      resolution: { action: 'rematch-on-order' },
    });
  });

  it('matches on the transaction id when the Payoneer payment and the Clarity payment come before the order', async () => {
    const waiting = await service.ingestPayment(
      payment('TX-21001', {
        orderReference: undefined,
        amount: euros('43.21'),
        fee: undefined,
        netAmount: undefined,
      }),
    );
    expect(waiting).toMatchObject({ status: 'pending', reason: 'unmatched' });
    const link = await service.ingestPayment({
      id: { source: 'clarity', sourceId: 'CP-21001' },
      transactionId: 'TX-21001',
      orderId: { source: 'clarity', sourceId: '21001' },
      status: 'completed',
      amount: euros('43.21'),
      createdAt: '2024-06-01T12:31:00Z',
    });
    expect(link).toMatchObject({ status: 'pending', reason: 'link' });
    const decision = await service.ingestOrder(
      order('21001', { totals: { subTotal: euros('43.21'), total: euros('43.21') } }),
    );
    expect(decision).toMatchObject({
      status: 'matched',
      kind: 'exact',
      paymentKeys: ['payoneer:TX-21001'],
    });
  });

  it('matches a payment that arrived before its order once the order comes', async () => {
    const waiting = await service.ingestPayment(
      payment('TX-30001', { orderReference: 'SO-2024-30001', amount: euros('77.70') }),
    );
    expect(waiting).toMatchObject({ status: 'pending', reason: 'unmatched' });
    const decision = await service.ingestOrder(
      order('30001', { totals: { subTotal: euros('77.70'), total: euros('77.70') } }),
    );
    expect(decision).toMatchObject({
      status: 'matched',
      orderKeys: ['clarity:30001'],
      paymentKeys: ['payoneer:TX-30001'],
    });
  });

  it('holds a part-payment and posts both parts in one balanced entry when the rest arrives', async () => {
    await service.ingestOrder(
      order('40001', { totals: { subTotal: euros('100.00'), total: euros('100.00') } }),
    );
    const first = await service.ingestPayment(
      payment('TX-40001', {
        orderReference: 'SO-2024-40001',
        amount: euros('45.00'),
        fee: euros('0.90'),
        netAmount: euros('44.10'),
      }),
    );
    expect(first).toMatchObject({ status: 'pending', reason: 'partial' });
    const second = await service.ingestPayment(
      payment('TX-40002', {
        orderReference: 'SO-2024-40001',
        amount: euros('55.00'),
        fee: euros('1.10'),
        netAmount: euros('53.90'),
      }),
    );
    if (second.status !== 'matched') throw new Error(`expected matched, got ${second.status}`);
    expect(second.paymentKeys).toEqual(['payoneer:TX-40001', 'payoneer:TX-40002']);
    expect(second.plan.lines.map((line) => [line.account, line.debit, line.credit])).toEqual([
      ['Payoneer', '98.00', '0'],
      ['Payoneer Fees', '2.00', '0'],
      ['Debtors', '0', '100.00'],
    ]);
  });

  it('puts a mismatch in the review queue with its candidates; approving it matches and is audited', async () => {
    await service.ingestOrder(
      order('50001', { totals: { subTotal: euros('50.00'), total: euros('50.00') } }),
    );
    const decision = await service.ingestPayment(
      payment('TX-50001', { orderReference: 'SO-2024-50001', amount: euros('55.00') }),
    );
    if (decision.status !== 'review') throw new Error(`expected review, got ${decision.status}`);
    expect(decision.reason).toBe('mismatch');

    const listed = await service.listReviewItems({ status: 'open', reason: 'mismatch' });
    expect(listed.items.map((item) => item.id)).toContain(decision.reviewItemId);
    const item = await service.getReviewItem(decision.reviewItemId);
    expect(item).toMatchObject({
      subjectType: 'payment',
      subjectKey: 'payoneer:TX-50001',
      currency: 'EUR',
      amount: '55.0000',
    });
    expect(item.candidates[0]).toMatchObject({
      orderKeys: ['clarity:50001'],
      amountFit: 'over',
      rules: expect.arrayContaining([{ rule: 'reference.exact', detail: 'SO-2024-50001' }]),
    });

    const adjustment = await service.recordCorrection(decision.reviewItemId, 'finance@acme', {
      kind: 'refund',
      amount: '5.00',
      remark: 'Overpaid: refund 5.00',
    });
    expect(adjustment.plan).toMatchObject({
      kind: 'refund',
      reference: `refund:review:${decision.reviewItemId}:1`,
    });
    expect(isBalanced(adjustment.plan)).toBe(true);

    const approved = await service.approve(decision.reviewItemId, 'finance@acme');
    expect(approved).toMatchObject({
      status: 'matched',
      kind: 'manual',
      orderKeys: ['clarity:50001'],
    });
    expect(isBalanced(approved.plan)).toBe(true);
    expect(await service.getReviewItem(decision.reviewItemId)).toMatchObject({
      status: 'resolved',
      resolvedBy: 'finance@acme',
    });
    await expect(service.approve(decision.reviewItemId, 'finance@acme')).rejects.toThrow(
      ReviewConflictError,
    );

    const trail = await audit.list({
      subjectType: 'reconciliation_review_item',
      subjectId: decision.reviewItemId,
    });
    expect(trail.items.map((entry) => entry.action).sort()).toEqual([
      'reconciliation.review.approve',
      'reconciliation.review.refund',
    ]);
  });

  it('re-matches a review item to the order the reviewer chose, and dismisses another with a reason', async () => {
    await service.ingestOrder(
      order('60001', {
        orderNumber: 'WEB-1',
        totals: { subTotal: euros('12.00'), total: euros('12.00') },
      }),
    );
    const lost = await service.ingestPayment(
      payment('TX-60001', {
        orderReference: 'SO-2024-60001',
        amount: euros('12.00'),
        fee: undefined,
        netAmount: undefined,
      }),
    );
    if (lost.status !== 'review') throw new Error(`expected review, got ${lost.status}`);
    const rematched = await service.approve(lost.reviewItemId, 'finance@acme', {
      orderKeys: ['clarity:60001'],
    });
    expect(rematched).toMatchObject({
      kind: 'manual',
      orderKeys: ['clarity:60001'],
      paymentKeys: ['payoneer:TX-60001'],
    });

    const stray = await service.ingestPayment(
      payment('TX-60002', { orderReference: 'WEB-1', amount: euros('12.00') }),
    );
    if (stray.status !== 'review') throw new Error(`expected review, got ${stray.status}`);
    expect(stray.reason).toBe('duplicate');
    await expect(service.dismiss(stray.reviewItemId, 'finance@acme', ' ')).rejects.toThrow(
      ReconciliationInputError,
    );
    await service.dismiss(
      stray.reviewItemId,
      'finance@acme',
      'customer paid twice; refunded in Payoneer',
    );
    expect(await service.getReviewItem(stray.reviewItemId)).toMatchObject({
      status: 'dismissed',
      resolution: { action: 'dismiss', reason: 'customer paid twice; refunded in Payoneer' },
    });
    const trail = await audit.list({ action: 'reconciliation.review.rematch' });
    expect(trail.items[0]).toMatchObject({ actor: 'finance@acme', subjectId: lost.reviewItemId });
  });

  it('sends orders and payments unmatched past the window to review, and reports status per day and currency', async () => {
    await service.ingestOrder(
      order('70001', { totals: { subTotal: euros('9.99'), total: euros('9.99') } }),
    );
    await service.ingestPayment(
      payment('TX-70009', {
        orderReference: 'INV-1',
        amount: { amount: '15.00', currency: 'USD' },
        fee: undefined,
        netAmount: undefined,
      }),
    );
    now = new Date('2024-06-10T00:00:00Z');
    expect(await service.sweepUnmatched()).toBeGreaterThanOrEqual(2);
    expect(await service.sweepUnmatched()).toBe(0);
    const unmatched = await service.listReviewItems({ reason: 'unmatched' });
    expect(unmatched.items.map((item) => item.subjectKey)).toEqual(
      expect.arrayContaining(['clarity:70001', 'payoneer:TX-70009']),
    );

    const report = await service.report('2024-06-01', '2024-06-30');
    const euroDay = report.find((row) => row.day === '2024-06-02' && row.currency === 'EUR');
    expect(euroDay).toMatchObject({ matchedCount: expect.any(Number), postedCount: 1 });
    expect(euroDay!.matchedCount).toBeGreaterThanOrEqual(4);
    expect(Number(euroDay!.fees)).toBeGreaterThan(0);
    expect(report.find((row) => row.currency === 'USD')).toMatchObject({
      inReviewCount: 1,
      inReviewAmount: '15.0000',
    });
    await expect(service.report('June', '2024-06-30')).rejects.toThrow(
      'report from must be YYYY-MM-DD, got "June"',
    );
  });

  it('gives an order to one of two payments racing for it, the other goes to review', async () => {
    await service.ingestOrder(
      order('80001', { totals: { subTotal: euros('88.00'), total: euros('88.00') } }),
    );
    const racing = await Promise.all([
      service.ingestPayment(
        payment('TX-80001', { orderReference: 'SO-2024-80001', amount: euros('88.00') }),
      ),
      service.ingestPayment(
        payment('TX-80002', { orderReference: 'SO-2024-80001', amount: euros('88.00') }),
      ),
    ]);
    expect(racing.map((decision) => decision.status).sort()).toEqual(['matched', 'review']);
    expect(racing.find((decision) => decision.status === 'review')).toMatchObject({
      reason: 'duplicate',
    });
  });

  it('rejects a malformed canonical record naming the field', async () => {
    await expect(
      service.ingestPayment(payment('TX-bad', { amount: { amount: '12,50', currency: 'EUR' } })),
    ).rejects.toThrow(
      'payment payoneer:TX-bad: amount.amount must be a decimal string like "123.45", got "12,50"',
    );
  });
});
