import { resolveReconciliationConfig } from '../reconciliation-config';
import { type OrderFacts, type PaymentFacts } from '../reconciliation-facts';
import { type OrderCandidate } from './match-result';
import { matchPayment } from './payment-matcher';

const config = resolveReconciliationConfig();

function order(overrides: Partial<OrderFacts> = {}): OrderFacts {
  const sourceId = overrides.sourceId ?? '10234';
  return {
    key: `clarity:${sourceId}`,
    source: 'clarity',
    sourceId,
    orderNumber: 'SO-2024-10234',
    currency: 'EUR',
    total: '123.45',
    placedAt: '2024-06-01T12:30:00.000Z',
    customerEmail: 'ada@example.com',
    ...overrides,
  };
}

function payment(overrides: Partial<PaymentFacts> = {}): PaymentFacts {
  return {
    key: 'payoneer:TX-1',
    source: 'payoneer',
    sourceId: 'TX-1',
    transactionId: 'TX-1',
    orderReference: 'SO-2024-10234',
    status: 'completed',
    currency: 'EUR',
    amount: '123.45',
    fee: '2.47',
    paidAt: '2024-06-02T09:00:00.000Z',
    ...overrides,
  };
}

function candidate(facts: OrderFacts, overrides: Partial<OrderCandidate> = {}): OrderCandidate {
  return {
    order: facts,
    state: 'open',
    paidSoFar: '0',
    heldPaymentKeys: [],
    transactionIds: [],
    ...overrides,
  };
}

const rules = (result: ReturnType<typeof matchPayment>) =>
  result.evidence.rules.map((hit) => hit.rule);

describe('matchPayment', () => {
  describe('exact keys', () => {
    it('posts a payment whose transaction id the order recorded, with the same amount and currency', () => {
      const result = matchPayment(
        payment({ orderReference: undefined }),
        [candidate(order(), { transactionIds: ['TX-1'] })],
        config,
      );
      expect(result).toMatchObject({
        outcome: 'auto',
        kind: 'exact',
        orderKeys: ['clarity:10234'],
        score: 1,
      });
      expect(rules(result)).toEqual(
        expect.arrayContaining(['transactionId.exact', 'amount.exact', 'match.exact']),
      );
      expect(result.allocation).toEqual({
        paymentKey: 'payoneer:TX-1',
        gross: '123.45',
        fee: '2.47',
        cash: '120.98',
        fxRate: undefined,
      });
    });

    it('posts on the order reference, amount and currency even when another order is nearly as good', () => {
      const twin = order({ sourceId: '10235', orderNumber: 'SO-2024-10235' });
      const result = matchPayment(payment(), [candidate(twin), candidate(order())], config);
      expect(result).toMatchObject({
        outcome: 'auto',
        kind: 'exact',
        orderKeys: ['clarity:10234'],
      });
    });
  });

  describe('scored matcher', () => {
    it('accepts a reference typo by string similarity and records it', () => {
      const result = matchPayment(
        payment({ orderReference: 'SO-2024-10243' }),
        [candidate(order())],
        config,
      );
      expect(result).toMatchObject({ outcome: 'auto', kind: 'scored' });
      expect(result.evidence.rules).toContainEqual({
        rule: 'reference.fuzzy',
        detail: expect.stringContaining('similarity 0.818'),
      });
    });

    it('finds the order number inside a free-text reference', () => {
      const result = matchPayment(
        payment({ orderReference: 'Payment for order SO-2024-10234, thanks' }),
        [candidate(order())],
        config,
      );
      expect(result.outcome).toBe('auto');
      expect(rules(result)).toContain('reference.contains');
    });

    it('reads an amount that arrived net of its fee', () => {
      const result = matchPayment(
        payment({ amount: '120.98', netAmount: '120.98', fee: '2.47' }),
        [candidate(order())],
        config,
      );
      expect(result.outcome).toBe('auto');
      expect(rules(result)).toContain('amount.net-of-fee');
      expect(result.allocation).toMatchObject({ gross: '123.45', cash: '120.98', fee: '2.47' });
    });

    it('converts a payment in another currency with the processor rate, within the FX tolerance', () => {
      const result = matchPayment(
        payment({
          currency: 'USD',
          amount: '134.20',
          fee: '2.68',
          fxRate: { rate: '0.92', sourceCurrency: 'USD', targetCurrency: 'EUR' },
        }),
        [candidate(order())],
        config,
      );
      expect(result.outcome).toBe('auto');
      expect(rules(result)).toEqual(expect.arrayContaining(['currency.converted', 'amount.fx']));
      expect(result.allocation).toMatchObject({ gross: '123.46', fee: '2.47', fxRate: '0.92' });
    });

    it('treats a converted amount beyond the FX tolerance as a mismatch for review', () => {
      const result = matchPayment(
        payment({
          currency: 'USD',
          amount: '140.00',
          fxRate: { rate: '0.92', sourceCurrency: 'USD', targetCurrency: 'EUR' },
        }),
        [candidate(order())],
        config,
      );
      expect(result).toMatchObject({ outcome: 'review', reviewReason: 'mismatch' });
    });

    it('sends a payment in a currency it cannot convert to review as a mismatch', () => {
      const result = matchPayment(
        payment({ currency: 'JPY', amount: '20000' }),
        [candidate(order())],
        config,
      );
      expect(result).toMatchObject({ outcome: 'review', reviewReason: 'mismatch' });
      expect(rules(result)).toContain('currency.unconvertible');
    });

    it('accepts a rounding difference within the tolerance and refuses one beyond it', () => {
      const within = matchPayment(payment({ amount: '123.46' }), [candidate(order())], config);
      expect(within.outcome).toBe('auto');
      expect(rules(within)).toContain('amount.rounding');
      const beyond = matchPayment(payment({ amount: '123.60' }), [candidate(order())], config);
      expect(beyond).toMatchObject({ outcome: 'review', reviewReason: 'mismatch' });
      expect(rules(beyond)).toContain('amount.over');
    });

    it('lowers the score of a payment far outside the date window', () => {
      const onTime = matchPayment(
        payment({ orderReference: 'SO-2024-10243' }),
        [candidate(order())],
        config,
      );
      const late = matchPayment(
        payment({ orderReference: 'SO-2024-10243', paidAt: '2024-07-20T00:00:00.000Z' }),
        [candidate(order())],
        config,
      );
      expect(late.score).toBeLessThan(onTime.score);
      expect(rules(late)).toContain('date.outside');
      expect(late).toMatchObject({ outcome: 'review', reviewReason: 'low_confidence' });
    });

    it('matches one payment to the several orders its reference names', () => {
      const second = order({ sourceId: '10300', orderNumber: 'SO-2024-10300', total: '76.55' });
      const result = matchPayment(
        payment({ orderReference: 'SO-2024-10234, SO-2024-10300', amount: '200.00' }),
        [candidate(order()), candidate(second)],
        config,
      );
      expect(result).toMatchObject({
        outcome: 'auto',
        orderKeys: ['clarity:10234', 'clarity:10300'],
      });
      expect(rules(result)).toContain('orders.multiple');
    });

    it('holds a first part-payment and completes the order with the second', () => {
      const first = matchPayment(payment({ amount: '50.00' }), [candidate(order())], config);
      expect(first).toMatchObject({ outcome: 'partial', orderKeys: ['clarity:10234'] });
      expect(first.allocation).toMatchObject({ gross: '50.00' });
      const second = matchPayment(
        payment({ key: 'payoneer:TX-2', transactionId: 'TX-2', amount: '73.45' }),
        [
          candidate(order(), {
            state: 'partial',
            paidSoFar: '50.00',
            heldPaymentKeys: ['payoneer:TX-1'],
          }),
        ],
        config,
      );
      expect(second).toMatchObject({ outcome: 'auto', orderKeys: ['clarity:10234'] });
      expect(rules(second)).toContain('order.part-paid');
    });

    it('sends a payment that fits two orders about equally to review as ambiguous', () => {
      const a = order({ sourceId: '1', orderNumber: 'SO-2024-10230' });
      const b = order({ sourceId: '2', orderNumber: 'SO-2024-10239' });
      const result = matchPayment(
        payment({ orderReference: 'SO-2024-1023' }),
        [candidate(a), candidate(b)],
        config,
      );
      expect(result).toMatchObject({ outcome: 'review', reviewReason: 'ambiguous' });
      expect(result.evidence.candidates).toHaveLength(2);
    });

    it('does not post to a near-numbered order when the payment names another order exactly that it may part-pay', () => {
      const neighbour = order({ sourceId: '10235', orderNumber: 'SO-2024-10235', total: '40.00' });
      const named = order({ total: '100.00' });
      const result = matchPayment(
        payment({ amount: '40.00' }),
        [candidate(neighbour), candidate(named)],
        config,
      );
      expect(result).toMatchObject({
        outcome: 'review',
        reviewReason: 'ambiguous',
        orderKeys: ['clarity:10235'],
      });
    });

    it('does not post to a near-numbered order when the payment names a reconciled order exactly with a fitting amount', () => {
      const neighbour = order({ sourceId: '10235', orderNumber: 'SO-2024-10235' });
      const result = matchPayment(
        payment({ key: 'payoneer:TX-9' }),
        [candidate(order(), { state: 'closed' }), candidate(neighbour)],
        config,
      );
      expect(result).toMatchObject({
        outcome: 'review',
        reviewReason: 'duplicate',
        orderKeys: ['clarity:10234'],
      });
    });

    it('assumes a part-payment only for an order the payment names exactly', () => {
      const result = matchPayment(
        payment({ orderReference: 'SO-2024-10243', amount: '50.00' }),
        [candidate(order())],
        config,
      );
      expect(result.outcome).not.toBe('partial');
    });

    it('does not read a gross amount as net of its fee when the processor reported the net', () => {
      const result = matchPayment(
        payment({ amount: '120.98', fee: '2.47', netAmount: '118.51' }),
        [candidate(order())],
        config,
      );
      expect(rules(result)).not.toContain('amount.net-of-fee');
      expect(result.outcome).not.toBe('auto');
    });

    it('sends a payment with only a matching amount to review as low confidence', () => {
      const result = matchPayment(
        payment({ orderReference: undefined }),
        [candidate(order())],
        config,
      );
      expect(result).toMatchObject({ outcome: 'review', reviewReason: 'low_confidence' });
      expect(rules(result)).toContain('reference.missing');
    });

    it('flags a second payment for an order that is reconciled already as a duplicate', () => {
      const result = matchPayment(
        payment({ key: 'payoneer:TX-9' }),
        [candidate(order(), { state: 'closed' })],
        config,
      );
      expect(result).toMatchObject({
        outcome: 'review',
        reviewReason: 'duplicate',
        orderKeys: ['clarity:10234'],
      });
    });

    it('leaves a payment with no convincing candidate unmatched', () => {
      const stranger = order({ orderNumber: 'SO-1999-00001', total: '999.00' });
      const result = matchPayment(
        payment({ orderReference: 'INV-55', amount: '10.00' }),
        [candidate(stranger)],
        config,
      );
      expect(result).toMatchObject({ outcome: 'unmatched', orderKeys: [] });
      expect(matchPayment(payment(), [], config).outcome).toBe('unmatched');
    });

    it('keeps the tolerances and thresholds it used in the evidence', () => {
      const result = matchPayment(
        payment(),
        [candidate(order())],
        resolveReconciliationConfig({ roundingTolerance: '0.05', autoPostThreshold: 0.9 }),
      );
      expect(result.evidence.tolerances).toMatchObject({
        roundingTolerance: '0.05',
        autoPostThreshold: 0.9,
        fxTolerance: '0.005',
      });
      expect(result.evidence.payment).toMatchObject({ transactionId: 'TX-1', amount: '123.45' });
    });

    it('obeys a stricter configured auto-post threshold', () => {
      const strict = resolveReconciliationConfig({ autoPostThreshold: 0.99 });
      const result = matchPayment(
        payment({ orderReference: 'SO-2024-10243' }),
        [candidate(order())],
        strict,
      );
      expect(result).toMatchObject({ outcome: 'review', reviewReason: 'low_confidence' });
    });
  });
});
