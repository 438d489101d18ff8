import { type CanonicalPayment } from './canonical-records';
import { ReconciliationInputError } from './reconciliation.errors';
import { toPaymentFacts } from './reconciliation-facts';

/** As mappings/payoneer-to-canonical/payment.jsonata makes it: a EUR payment credited to the USD balance. */
const converted: CanonicalPayment = {
  id: { source: 'payoneer', sourceId: 'TX-88213' },
  transactionId: 'PYN-REF-9f2c',
  orderReference: 'PYN-REF-9f2c',
  status: 'completed',
  amount: { amount: '123.45', currency: 'EUR' },
  fee: { amount: '2.68', currency: 'USD' },
  netAmount: { amount: '131.07', currency: 'USD' },
  fxRate: { rate: '1.0834', sourceCurrency: 'EUR', targetCurrency: 'USD' },
  settledAmount: { amount: '131.07', currency: 'USD' },
  createdAt: '2026-06-01T12:35:40.000Z',
};

describe('toPaymentFacts', () => {
  it('brings a fee and net reported in the balance currency to the payment currency with its rate', () => {
    const facts = toPaymentFacts(converted);
    expect(facts.currency).toBe('EUR');
    expect(facts.fee).toBe('2.4737');
    expect(facts.netAmount).toBe('120.9802');
  });

  it('converts with the inverse rate when the rate is quoted the other way round', () => {
    const facts = toPaymentFacts({
      ...converted,
      fxRate: { rate: '0.923', sourceCurrency: 'USD', targetCurrency: 'EUR' },
    });
    expect(facts.fee).toBe('2.4736');
  });

  it('keeps a fee in the payment currency as it is', () => {
    const facts = toPaymentFacts({
      ...converted,
      amount: { amount: '100.00', currency: 'USD' },
      fee: { amount: '2.50', currency: 'USD' },
      netAmount: { amount: '97.50', currency: 'USD' },
      fxRate: undefined,
    });
    expect([facts.fee, facts.netAmount]).toEqual(['2.50', '97.50']);
  });

  it('refuses a fee in another currency that no rate of the payment converts, naming the field', () => {
    expect(() => toPaymentFacts({ ...converted, fxRate: undefined })).toThrow(
      new ReconciliationInputError(
        'payment payoneer:TX-88213: fee.currency USD differs from amount.currency EUR and fxRate does not convert between them',
      ),
    );
  });
});
