import { type FailureType } from '@switchboard/connector-sdk';

/** How a flow retries a failed step before dead-lettering it (a flow's `retry:` block). */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  backoff: 'exponential' | 'fixed';
  initialMs: number;
  maxMs: number;
  /** `full`: each delay is drawn uniformly from [0, computed delay], so retrying workers spread out. */
  jitter: 'full' | 'none';
  retryOn: FailureType[];
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  backoff: 'exponential',
  initialMs: 200,
  maxMs: 60_000,
  jitter: 'full',
  retryOn: Object.freeze(['transient', 'rate_limited']) as FailureType[],
});
