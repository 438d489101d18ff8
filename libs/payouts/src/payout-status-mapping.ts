import { type PayoutItemStatus } from '@switchboard/persistence';
import { type GatewayPayoutStatus } from './payout-gateway.port';

/** Payoneer cancel codes that mean "the recipient is wrong": the item goes to review, finance is told. */
export const INVALID_RECIPIENT_CODES: readonly number[] = [10005, 10009];

/** Where Payoneer's view of a payout puts the item, and why. */
export interface MappedPayoutStatus {
  status: PayoutItemStatus;
  reason: string | null;
  /** True when the item needs a corrected payee and a re-initiation. */
  needsReview: boolean;
}

/** Maps Payoneer's status of a payout onto the item state machine. */
export function mapGatewayStatus(gatewayStatus: GatewayPayoutStatus): MappedPayoutStatus {
  const because = [gatewayStatus.reasonCode, gatewayStatus.reasonDescription]
    .filter((part) => part !== undefined)
    .join(' ');
  switch (gatewayStatus.status) {
    case 'pending':
    case 'pending_payee':
      return { status: 'pending', reason: null, needsReview: false };
    case 'transferred':
      return { status: 'paid', reason: null, needsReview: false };
    case 'failed':
      return {
        status: 'failed',
        reason: `Payoneer: ${gatewayStatus.rawStatus} ${because}`.trim(),
        needsReview: false,
      };
    case 'cancelled':
      // A cancel with a reason code is Payoneer refusing the payout (payee unknown, inactive, bad bank
      // details): a person must fix the recipient. Without one it was cancelled on our own request.
      return gatewayStatus.reasonCode === undefined
        ? {
            status: 'cancelled',
            reason: `cancelled at Payoneer ${because}`.trim(),
            needsReview: false,
          }
        : {
            status: 'in_review',
            reason: `Payoneer cancelled the payout: ${because}`,
            needsReview: true,
          };
  }
}
