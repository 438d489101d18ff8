import { type FailureType } from '@switchboard/connector-sdk';
import { decideRetry, RETRY_AFTER_CAP_MS } from './decide-retry';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  ...DEFAULT_RETRY_POLICY,
  retryOn: [...DEFAULT_RETRY_POLICY.retryOn],
  ...overrides,
});
const failure = (failureType: FailureType, extra: { retryAfterMs?: number } = {}) => ({
  failureType,
  message: `remote said no (${failureType})`,
  ...extra,
});
const highest = () => 0.999_999_999;

describe('decideRetry', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 5,
      backoff: 'exponential',
      initialMs: 200,
      maxMs: 60_000,
      jitter: 'full',
      retryOn: ['transient', 'rate_limited'],
    });
  });

  it('retries a transient failure with the backoff delay and the next attempt number', () => {
    expect(decideRetry(policy({ jitter: 'none' }), failure('transient'), 1)).toEqual({
      action: 'retry',
      delayMs: 200,
      attempt: 2,
    });
    expect(decideRetry(policy({ jitter: 'none' }), failure('transient'), 3)).toEqual({
      action: 'retry',
      delayMs: 800,
      attempt: 4,
    });
    expect(decideRetry(policy(), failure('transient'), 2, () => 0.5)).toEqual({
      action: 'retry',
      delayMs: 200,
      attempt: 3,
    });
  });

  it('never dead-letters on the attempts before the last, and dead-letters the last naming the attempts', () => {
    const decisions = [1, 2, 3, 4, 5].map(
      (attempt) => decideRetry(policy(), failure('transient'), attempt, highest).action,
    );
    expect(decisions).toEqual(['retry', 'retry', 'retry', 'retry', 'dead-letter']);
    expect(decideRetry(policy(), failure('rate_limited'), 5)).toEqual({
      action: 'dead-letter',
      reason:
        'gave up after 5 attempts (maxAttempts 5), last rate_limited failure: remote said no (rate_limited)',
    });
    expect(decideRetry(policy({ maxAttempts: 1 }), failure('transient'), 1)).toMatchObject({
      action: 'dead-letter',
      reason: expect.stringContaining('gave up after 1 attempt ('),
    });
  });

  it('honours Retry-After as a floor: never sooner than the remote asked, even when the jitter draws less', () => {
    expect(
      decideRetry(policy(), failure('rate_limited', { retryAfterMs: 5000 }), 1, () => 0),
    ).toEqual({ action: 'retry', delayMs: 5000, attempt: 2 });
    // When the backoff is already longer, the backoff stands.
    expect(
      decideRetry(policy({ jitter: 'none' }), failure('rate_limited', { retryAfterMs: 100 }), 4),
    ).toEqual({ action: 'retry', delayMs: 1600, attempt: 5 });
    // A transient 503 with Retry-After is honoured the same way.
    expect(
      decideRetry(policy(), failure('transient', { retryAfterMs: 2500.2 }), 1, () => 0),
    ).toMatchObject({ delayMs: 2501 });
  });

  it('caps an absurd Retry-After at one hour, above the policy maxMs', () => {
    const decision = decideRetry(
      policy(),
      failure('rate_limited', { retryAfterMs: 86_400_000 }),
      1,
      () => 0,
    );
    expect(RETRY_AFTER_CAP_MS).toBe(3_600_000);
    expect(decision).toEqual({ action: 'retry', delayMs: RETRY_AFTER_CAP_MS, attempt: 2 });
  });

  it('ignores a Retry-After that is not a positive number', () => {
    for (const retryAfterMs of [-1, 0, Number.NaN]) {
      expect(
        decideRetry(policy({ jitter: 'none' }), failure('rate_limited', { retryAfterMs }), 1),
      ).toEqual({ action: 'retry', delayMs: 200, attempt: 2 });
    }
  });

  it('dead-letters a config failure at once, even when the policy lists it', () => {
    for (const retryOn of [['transient'], ['config', 'transient']] as FailureType[][]) {
      expect(decideRetry(policy({ retryOn }), failure('config'), 1)).toEqual({
        action: 'dead-letter',
        reason: 'config failure, never retried: remote said no (config)',
      });
    }
  });

  it('routes a business failure to review unless the policy retries it', () => {
    expect(decideRetry(policy(), failure('business'), 1)).toEqual({
      action: 'review',
      reason: 'business failure, for a person to review: remote said no (business)',
    });
    expect(
      decideRetry(policy({ retryOn: ['business'], jitter: 'none' }), failure('business'), 1),
    ).toEqual({ action: 'retry', delayMs: 200, attempt: 2 });
    expect(decideRetry(policy({ retryOn: ['business'] }), failure('business'), 5)).toMatchObject({
      action: 'dead-letter',
    });
  });

  it('dead-letters a failure class the policy does not retry, saying so', () => {
    expect(decideRetry(policy({ retryOn: ['transient'] }), failure('rate_limited'), 1)).toEqual({
      action: 'dead-letter',
      reason:
        'rate_limited failure, not retried by this flow (retryOn: transient): remote said no (rate_limited)',
    });
    expect(decideRetry(policy({ retryOn: [] }), failure('transient'), 1)).toMatchObject({
      action: 'dead-letter',
      reason: expect.stringContaining('(retryOn: nothing)'),
    });
  });
});
