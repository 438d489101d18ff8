import { type FailureType } from '@switchboard/connector-sdk';

/** What the retry policy needs to know about a failed attempt. */
export interface FailureInfo {
  failureType: FailureType;
  /** The remote's Retry-After, in ms, when it sent one. */
  retryAfterMs?: number;
  message: string;
}

/** What to do with the envelope whose attempt just failed. */
export type RetryDecision =
  | { action: 'retry'; delayMs: number; attempt: number /* the next attempt number */ }
  | { action: 'dead-letter'; reason: string }
  | { action: 'review'; reason: string };
