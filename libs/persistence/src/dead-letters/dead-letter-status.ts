/**
 * A dead letter waits (`pending`, or `review` for a business failure a person must judge) until an
 * operator replays or discards it.
 */
export const DEAD_LETTER_STATUSES = ['pending', 'review', 'replayed', 'discarded'] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/** Mirrors the connector SDK's failure classes; kept here so persistence does not depend on the SDK. */
export const DEAD_LETTER_FAILURE_TYPES = [
  'config',
  'transient',
  'rate_limited',
  'business',
] as const;
export type DeadLetterFailureType = (typeof DEAD_LETTER_FAILURE_TYPES)[number];
