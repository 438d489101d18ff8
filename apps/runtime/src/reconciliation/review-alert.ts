import { type ReconciliationReviewItemRecord } from '@switchboard/reconciliation';
import { type RaiseAlert } from '../alerts/alert.service';

/** The alert a new review item raises for finance: one per subject (repeats dedupe on it). */
export function reviewItemAlert(item: ReconciliationReviewItemRecord): RaiseAlert {
  const what = item.subjectType === 'payment' ? 'payment' : 'order';
  return {
    rule: 'reconciliation_mismatch',
    severity: item.reason === 'mismatch' || item.reason === 'duplicate' ? 'critical' : 'warning',
    subject: item.subjectKey,
    message: `${what} ${item.subjectKey} (${item.amount} ${item.currency}) needs review: ${item.reason}`,
    details: {
      team: 'finance',
      reviewItemId: item.id,
      reason: item.reason,
      subjectType: item.subjectType,
      currency: item.currency,
      amount: item.amount,
      day: item.day,
    },
  };
}
