/** The rules that raise alerts. Work that raises a new kind of alert adds its rule here. */
export const ALERT_RULES = [
  'dlq_growth',
  'insufficient_funds',
  'invalid_payee',
  'reconciliation_mismatch',
  'reconciliation_posting_failed',
  'connector_down',
  'lag_over_threshold',
  // Raised by the payouts lib (treasury: a queue paused for funds; finance: an item to review).
  'payouts.insufficient_funds',
  'payouts.item_in_review',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];
