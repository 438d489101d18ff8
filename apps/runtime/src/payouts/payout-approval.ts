import Decimal from 'decimal.js';
import type { ApiKeyRole } from '@switchboard/persistence';

/**
 * The role that may approve a batch with these totals (decimal strings per currency): admin when
 * any currency's total is above its `adminApprovalAbove` amount, operator otherwise.
 */
export function approvalRole(
  totals: Record<string, string>,
  adminApprovalAbove: Record<string, string> | undefined,
): ApiKeyRole {
  for (const [currency, total] of Object.entries(totals)) {
    const limit = adminApprovalAbove?.[currency];
    if (limit !== undefined && new Decimal(total).gt(limit)) return 'admin';
  }
  return 'operator';
}
