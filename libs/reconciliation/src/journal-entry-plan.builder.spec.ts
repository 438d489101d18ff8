import { SchemaRegistry } from '@switchboard/schema-registry';
import {
  buildCorrectionEntryPlan,
  buildRevenueEntryPlan,
  isBalanced,
} from './journal-entry-plan.builder';
import { resolveReconciliationConfig } from './reconciliation-config';
import { ReconciliationInputError } from './reconciliation.errors';
import { type OrderFacts, type PaymentFacts } from './reconciliation-facts';

const config = resolveReconciliationConfig({ company: 'ACME', costCenter: 'Main - ACME' });
const validate = SchemaRegistry.load().validator('canonical.journal-entry@1');

const order: OrderFacts = {
  key: 'clarity:10234',
  source: 'clarity',
  sourceId: '10234',
  orderNumber: 'SO-2024-10234',
  currency: 'EUR',
  total: '123.45',
  placedAt: '2024-06-01T12:30:00.000Z',
};
const payment: PaymentFacts = {
  key: 'payoneer:TX-1',
  source: 'payoneer',
  sourceId: 'TX-1',
  transactionId: 'TX-1',
  status: 'completed',
  currency: 'USD',
  amount: '134.20',
  fee: '2.68',
  paidAt: '2024-06-02T09:00:00.000Z',
};

describe('buildRevenueEntryPlan', () => {
  it('books the gross as cash and no fee line when fees are posted by entries of their own', () => {
    const plan = buildRevenueEntryPlan(
      {
        orders: [order],
        payments: [{ ...payment, currency: 'EUR' }],
        allocations: [{ paymentKey: payment.key, gross: '123.45', fee: '2.47', cash: '120.98' }],
        postingDate: '2024-06-02',
      },
      { ...config, feesPostedSeparately: true },
    );
    expect(plan.lines.map(({ account, debit, credit }) => [account, debit, credit])).toEqual([
      ['Payoneer', '123.45', '0'],
      ['Debtors', '0', '123.45'],
    ]);
    expect(isBalanced(plan)).toBe(true);
  });

  it('debits cash and fees, credits revenue, and is a valid balanced canonical.journal-entry@1', () => {
    const plan = buildRevenueEntryPlan(
      {
        orders: [order],
        payments: [{ ...payment, currency: 'EUR' }],
        allocations: [{ paymentKey: payment.key, gross: '123.45', fee: '2.47', cash: '120.98' }],
        postingDate: '2024-06-02',
      },
      config,
    );
    expect(plan).toMatchObject({
      reference: 'revenue:clarity:10234',
      kind: 'revenue',
      currency: 'EUR',
      company: 'ACME',
      postingDate: '2024-06-02',
    });
    expect(plan.lines.map(({ account, debit, credit }) => [account, debit, credit])).toEqual([
      ['Payoneer', '120.98', '0'],
      ['Payoneer Fees', '2.47', '0'],
      ['Debtors', '0', '123.45'],
    ]);
    expect(isBalanced(plan)).toBe(true);
    expect(validate(plan)).toEqual({ valid: true });
    expect(plan.sourceRecords).toEqual([
      { type: 'order', source: 'clarity', sourceId: '10234' },
      { type: 'payment', source: 'payoneer', sourceId: 'TX-1' },
    ]);
  });

  it('books what FX conversion left over on the exchange difference account, still balanced', () => {
    const gain = buildRevenueEntryPlan(
      {
        orders: [order],
        payments: [payment],
        allocations: [
          { paymentKey: payment.key, gross: '123.46', fee: '2.47', cash: '120.99', fxRate: '0.92' },
        ],
        postingDate: '2024-06-02',
      },
      config,
    );
    expect(gain.lines).toContainEqual(
      expect.objectContaining({ account: 'Exchange Gain/Loss', debit: '0', credit: '0.01' }),
    );
    expect(isBalanced(gain)).toBe(true);
    const loss = buildRevenueEntryPlan(
      {
        orders: [order],
        payments: [payment],
        allocations: [{ paymentKey: payment.key, gross: '123.00', fee: '2.40', cash: '120.60' }],
        postingDate: '2024-06-02',
      },
      config,
    );
    expect(loss.lines).toContainEqual(
      expect.objectContaining({ account: 'Exchange Gain/Loss', debit: '0.45', credit: '0' }),
    );
    expect(isBalanced(loss)).toBe(true);
    expect(validate(loss)).toEqual({ valid: true });
  });

  it('covers several orders and split payments in one balanced entry', () => {
    const second: OrderFacts = {
      ...order,
      key: 'clarity:10300',
      sourceId: '10300',
      orderNumber: 'SO-2024-10300',
      total: '76.5500',
    };
    const plan = buildRevenueEntryPlan(
      {
        orders: [second, order],
        payments: [
          payment,
          { ...payment, key: 'payoneer:TX-2', sourceId: 'TX-2', transactionId: 'TX-2' },
        ],
        allocations: [
          { paymentKey: 'payoneer:TX-1', gross: '100.00', fee: '2.00', cash: '98.00' },
          { paymentKey: 'payoneer:TX-2', gross: '100.00', fee: '0', cash: '100.00' },
        ],
        postingDate: '2024-06-03',
      },
      config,
    );
    expect(plan.reference).toBe('revenue:clarity:10234+clarity:10300');
    expect(plan.lines).toContainEqual(
      expect.objectContaining({ account: 'Debtors', credit: '200.00' }),
    );
    expect(isBalanced(plan)).toBe(true);
    expect(validate(plan)).toEqual({ valid: true });
  });

  it('refuses orders in different currencies', () => {
    expect(() =>
      buildRevenueEntryPlan(
        {
          orders: [order, { ...order, key: 'clarity:2', currency: 'USD' }],
          payments: [],
          allocations: [],
          postingDate: '2024-06-02',
        },
        config,
      ),
    ).toThrow(ReconciliationInputError);
  });
});

describe('buildCorrectionEntryPlan', () => {
  it('builds balanced adjustment and refund entries and refuses a non-positive amount', () => {
    const base = {
      reference: 'adjustment:review:1:1',
      currency: 'EUR',
      amount: '5.00',
      postingDate: '2024-06-05',
      remark: 'Customer short-paid',
      records: [{ type: 'payment' as const, source: 'payoneer' as const, sourceId: 'TX-1' }],
    };
    const adjustment = buildCorrectionEntryPlan({ ...base, kind: 'adjustment' }, config);
    const refund = buildCorrectionEntryPlan(
      { ...base, kind: 'refund', reference: 'refund:review:1:1' },
      config,
    );
    for (const plan of [adjustment, refund]) {
      expect(isBalanced(plan)).toBe(true);
      expect(validate(plan)).toEqual({ valid: true });
    }
    expect(adjustment.lines[0]).toMatchObject({
      account: 'Write Off',
      debit: '5.00',
      costCenter: 'Main - ACME',
    });
    expect(refund.lines[1]).toMatchObject({ account: 'Payoneer', credit: '5.00' });
    expect(() =>
      buildCorrectionEntryPlan({ ...base, kind: 'refund', amount: '0' }, config),
    ).toThrow(/refund amount must be a positive decimal string/);
  });
});
