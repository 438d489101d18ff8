import { type GatewayPayoutStatus } from './payout-gateway.port';

/** A payout status carried by a Payoneer IPCN notification. */
export interface IpcnPayoutNotification {
  clientReferenceId: string;
  status: GatewayPayoutStatus;
}

/**
 * Reads a Payoneer IPCN notification body (flat, space-separated keys, string values) as a payout
 * status; null for events that are not about a payout's status (payee or received-payment events).
 */
export function readIpcnPayoutNotification(
  eventType: string,
  body: Readonly<Record<string, string | undefined>>,
): IpcnPayoutNotification | null {
  const clientReferenceId = body['IntPaymentId'];
  if (clientReferenceId === undefined || clientReferenceId === '') return null;
  switch (eventType) {
    case 'PaymentRequestAccepted':
      return { clientReferenceId, status: { status: 'pending', rawStatus: 'Pending' } };
    case 'SentToBank':
    case 'AccountCardLoaded':
      return { clientReferenceId, status: { status: 'transferred', rawStatus: 'Transferred' } };
    case 'CancelPayout': {
      const rawCode = body['Reason Code']?.trim();
      const code = rawCode === undefined || rawCode === '' ? NaN : Number(rawCode);
      return {
        clientReferenceId,
        status: {
          status: 'cancelled',
          rawStatus: 'Cancelled',
          reasonCode: Number.isNaN(code) ? undefined : code,
          reasonDescription: body['Reason Description'],
        },
      };
    }
    default:
      return null;
  }
}
