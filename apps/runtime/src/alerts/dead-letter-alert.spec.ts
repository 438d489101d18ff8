import { deadLetterAlert, type DeadLetterFacts } from './dead-letter-alert';

const facts = (overrides: Partial<DeadLetterFacts>): DeadLetterFacts => ({
  flowId: 'payoneer-payout',
  eventId: 'evt-1',
  key: 'payee-42',
  failureType: 'business',
  errorClass: 'PAYONEER_ERROR',
  message: 'rejected',
  status: 'review',
  ...overrides,
});

describe('deadLetterAlert', () => {
  it('raises insufficient_funds for the flow when Payoneer lacks funds', () => {
    expect(deadLetterAlert(facts({ errorClass: 'INSUFFICIENT_FUNDS', message: 'balance too low' }))).toMatchObject({
      rule: 'insufficient_funds',
      severity: 'critical',
      subject: 'payoneer-payout',
    });
  });

  it('raises invalid_payee per payee for an unknown or inactive payee', () => {
    expect(deadLetterAlert(facts({ message: 'Payee was not found (10005)' }))).toMatchObject({ rule: 'invalid_payee', subject: 'payee-42' });
    expect(deadLetterAlert(facts({ errorClass: 'PAYEE_INACTIVE', message: 'cannot pay' }))).toMatchObject({ rule: 'invalid_payee' });
  });

  it('counts any other dead letter towards dlq_growth of its flow', () => {
    expect(deadLetterAlert(facts({ failureType: 'transient', status: 'pending', message: 'ERP answered 503' }))).toMatchObject({
      rule: 'dlq_growth',
      severity: 'critical',
      subject: 'payoneer-payout',
      details: expect.objectContaining({ eventId: 'evt-1', failureType: 'transient' }),
    });
  });
});
