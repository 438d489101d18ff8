/** Clarity sales order statuses (USE-CASES.md) plus the custom `Reconciled`; IDs are the sandbox's. */
export const CLARITY_ORDER_STATUSES = [
  'Pending',
  'On Hold',
  'Confirmed',
  'Backordered',
  'Split',
  'Partial Payment Received',
  'Full Payment Received',
  'Processing',
  'Shipped',
  'Completed',
  'Void',
  'Reconciled',
] as const;

/** The canonical spelling of a status key (matching ignores case), or undefined. */
export function canonicalOrderStatus(key: string): string | undefined {
  return CLARITY_ORDER_STATUSES.find((status) => status.toLowerCase() === key.trim().toLowerCase());
}

/** Numeric StatusID of a status key. */
export function orderStatusId(key: string): number {
  return CLARITY_ORDER_STATUSES.findIndex((status) => status === key) + 1;
}

/** Statuses a payment may move forward to a payment-received status. */
export const PAYABLE_ORDER_STATUSES: readonly string[] = [
  'Pending',
  'On Hold',
  'Confirmed',
  'Backordered',
  'Split',
  'Partial Payment Received',
];
