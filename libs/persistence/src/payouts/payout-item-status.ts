/**
 * Every state a payout item can be stored in. `submitted` means "sent or being sent, answer not
 * yet stored": after a crash such items are checked with Payoneer before anything is resent.
 */
export const PAYOUT_ITEM_STATUSES = [
  'draft',
  'queued',
  'submitted',
  'pending',
  'paid',
  'failed',
  'cancelled',
  'in_review',
] as const;
export type PayoutItemStatus = (typeof PAYOUT_ITEM_STATUSES)[number];

/** Where a batch's lines came from. */
export const PAYOUT_BATCH_SOURCES = ['clarity', 'api', 'csv'] as const;
export type PayoutBatchSource = (typeof PAYOUT_BATCH_SOURCES)[number];
