/** The rules that raise alerts. Work that raises a new kind of alert adds its rule here. */
export const ALERT_RULES = [
  'dlq_growth',
  'insufficient_funds',
  'invalid_payee',
  'reconciliation_mismatch',
  'reconciliation_posting_failed',
  'connector_down',
  'lag_over_threshold',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];
