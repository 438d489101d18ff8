import { type PayoutItemStatus } from '@switchboard/persistence';

/**
 * The payout item state machine. `submitted` → `queued` is the one way back: after a crash,
 * Payoneer confirmed it never received the item, so it is resent under the same client reference id.
 * `in_review` only closes (`cancelled`, when superseded by a re-initiated attempt or abandoned).
 */
export const PAYOUT_ITEM_TRANSITIONS: Readonly<
  Record<PayoutItemStatus, readonly PayoutItemStatus[]>
> = {
  draft: ['queued', 'in_review', 'cancelled'],
  queued: ['submitted', 'in_review', 'cancelled'],
  submitted: ['queued', 'pending', 'paid', 'in_review', 'failed', 'cancelled'],
  pending: ['paid', 'in_review', 'failed', 'cancelled'],
  in_review: ['cancelled'],
  paid: [],
  failed: [],
  cancelled: [],
};

/** The states from which an item may move to `to`. */
export function statusesLeadingTo(to: PayoutItemStatus): PayoutItemStatus[] {
  return (Object.keys(PAYOUT_ITEM_TRANSITIONS) as PayoutItemStatus[]).filter((from) =>
    PAYOUT_ITEM_TRANSITIONS[from].includes(to),
  );
}

/** True for the states an item never leaves. */
export function isFinalPayoutStatus(status: PayoutItemStatus): boolean {
  return PAYOUT_ITEM_TRANSITIONS[status].length === 0;
}
