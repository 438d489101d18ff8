/** The canonical topics reconciliation consumes, and its own consumer group on them. */
export const RECONCILIATION_TOPICS = {
  order: 'canonical.order.v1',
  payment: 'canonical.payment.v1',
} as const;

export const RECONCILIATION_GROUP = 'sb.reconciliation';
