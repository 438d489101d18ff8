import { PayoutGatewayError } from './payout.errors';

/** How often and how long to retry rate-limited or transient gateway calls. */
export interface GatewayRetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/** Sleeps with a timer. */
export function timerSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs a gateway call, retrying `rate_limited` (after Retry-After, else backoff) and `transient`
 * failures (exponential backoff, capped) up to `maxAttempts`; every other failure is thrown at once.
 */
export async function withGatewayRetry<T>(
  call: () => Promise<T>,
  policy: GatewayRetryPolicy,
  sleep: (ms: number) => Promise<void>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryable =
        error instanceof PayoutGatewayError &&
        (error.failure === 'rate_limited' || error.failure === 'transient');
      if (!retryable || attempt >= policy.maxAttempts) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
      await sleep(Math.min(policy.maxDelayMs, error.details.retryAfterMs ?? backoff));
    }
  }
}
