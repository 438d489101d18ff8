import { type RetryPolicy } from './retry-policy';

/**
 * Delay before the retry that follows failed attempt `attempt` (1-based): initialMs·2^(attempt-1)
 * (or initialMs when fixed), capped at maxMs; with full jitter a whole number of ms drawn
 * uniformly from [0, that cap]. `random` returns [0, 1) like Math.random, injectable for tests.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a whole number from 1, got ${attempt}`);
  }
  // 2^(attempt-1) overflows to Infinity for absurd attempts, and 0·Infinity is NaN: start at 0 stays 0.
  const uncapped =
    policy.backoff === 'fixed' || policy.initialMs === 0
      ? policy.initialMs
      : policy.initialMs * 2 ** (attempt - 1);
  const capped = Math.max(0, Math.min(uncapped, policy.maxMs));
  if (policy.jitter === 'none') return capped;
  return Math.min(capped, Math.floor(random() * (capped + 1)));
}
