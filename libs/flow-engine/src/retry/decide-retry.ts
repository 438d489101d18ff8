import { backoffDelay } from './backoff-delay';
import { type FailureInfo, type RetryDecision } from './retry-decision';
import { type RetryPolicy } from './retry-policy';

/**
 * The longest wait a Retry-After can impose: one hour. A remote asking for more (a daily quota
 * answering "come back tomorrow") is retried after an hour rather than parking the envelope
 * for a day; the flow's attempts still bound how often that happens.
 */
export const RETRY_AFTER_CAP_MS = 3_600_000;

/**
 * Routes a failed attempt: `config` is never retried (dead-letter); `business` goes to review
 * unless the policy retries it; other classes the policy does not retry are dead-lettered;
 * otherwise retry with backoff, never sooner than the remote's Retry-After (capped at
 * RETRY_AFTER_CAP_MS), until maxAttempts is used up.
 * attempt = the attempt number that just failed (1-based). random injectable for tests.
 */
export function decideRetry(
  policy: RetryPolicy,
  failure: FailureInfo,
  attempt: number,
  random?: () => number,
): RetryDecision {
  const { failureType, message } = failure;
  if (failureType === 'config') {
    return { action: 'dead-letter', reason: `config failure, never retried: ${message}` };
  }
  if (!policy.retryOn.includes(failureType)) {
    if (failureType === 'business')
      return { action: 'review', reason: `business failure, for a person to review: ${message}` };
    return {
      action: 'dead-letter',
      reason: `${failureType} failure, not retried by this flow (retryOn: ${policy.retryOn.join(', ') || 'nothing'}): ${message}`,
    };
  }
  if (attempt >= policy.maxAttempts) {
    return {
      action: 'dead-letter',
      reason: `gave up after ${attempt} attempt${attempt === 1 ? '' : 's'} (maxAttempts ${policy.maxAttempts}), last ${failureType} failure: ${message}`,
    };
  }
  const backoff = backoffDelay(policy, attempt, random);
  const retryAfterMs = failure.retryAfterMs;
  const floor =
    retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0
      ? Math.min(Math.ceil(retryAfterMs), RETRY_AFTER_CAP_MS)
      : 0;
  return { action: 'retry', delayMs: Math.max(backoff, floor), attempt: attempt + 1 };
}
