import {
  ConnectorError,
  type TriggerEvent,
  type WebhookRequest,
  defineTrigger,
} from '@switchboard/connector-sdk';

import { ipcnFields } from '../payoneer-ipcn-fields';
import { verifyIpcnSignature } from '../payoneer-ipcn-signature';

/** IPCN types this trigger understands, by the event they become. */
const PAYOUT_TYPES = ['PaymentRequestAccepted', 'SentToBank', 'AccountCardLoaded', 'CancelPayout'];
const PAYEE_TYPES = ['PayeeApproved', 'PayeeDeclined'];

/**
 * Payoneer's payout and payee notifications (IPCN). Payoneer posts each type to its own URL
 * with no type field, so the type comes from the URL's `type` query parameter when the operator
 * set one (`…/hooks/payoneer/payout.status_updated?type=AccountCardLoaded`), else from the
 * fields present. The payload is the notification's fields (URL-decoded) plus `EventType`.
 */
export const payoutNotifications = defineTrigger({
  kind: 'webhook',
  name: 'payoutNotifications',
  title: 'Payout and payee notifications (IPCN)',
  events: ['payout.status_updated', 'payee.status_updated'],
  payload: {
    type: 'object',
    required: ['EventType', 'Payee Id'],
    properties: {
      EventType: { enum: [...PAYOUT_TYPES, ...PAYEE_TYPES] },
      'Payee Id': { type: 'string' },
      IntPaymentId: { type: 'string' },
    },
  },
  verify: verifyIpcnSignature,
  toEvents(body, request): TriggerEvent[] {
    const fields = ipcnFields(body);
    const type = declaredType(request) ?? inferredType(fields);
    const payeeId = fields['Payee Id'] ?? '';
    if (PAYOUT_TYPES.includes(type)) {
      const reference = fields['IntPaymentId'] ?? '';
      if (reference === '') throw unrecognised(fields, `${type} without IntPaymentId`);
      const occurredAt = fields['Canceled Payment Date'] || fields['Transaction Date'];
      return [
        {
          event: 'payout.status_updated',
          // One event per payout and status: a repeated delivery is dropped by the runtime.
          id: `payout:${reference}:${type}`,
          ...(occurredAt ? { occurredAt } : {}),
          payload: { ...fields, EventType: type },
        },
      ];
    }
    return [
      {
        event: 'payee.status_updated',
        id: `payee:${payeeId}:${type}`,
        payload: { ...fields, EventType: type },
      },
    ];
  },
});

function declaredType(request: WebhookRequest): string | undefined {
  const type = new URL(request.url, 'http://ingress').searchParams.get('type');
  if (type === null) return undefined;
  if (![...PAYOUT_TYPES, ...PAYEE_TYPES].includes(type)) {
    throw new ConnectorError(
      'config',
      `notification URL names type "${type}"; expected one of ${[...PAYOUT_TYPES, ...PAYEE_TYPES].join(', ')}`,
      { code: 'NOTIFICATION_UNRECOGNISED' },
    );
  }
  return type;
}

function inferredType(fields: Record<string, string>): string {
  if (fields['IntPaymentId'] !== undefined) {
    if ('Reason Code' in fields || 'Canceled Payment Date' in fields) return 'CancelPayout';
    if ('Transaction Date' in fields) return 'SentToBank';
    return 'PaymentRequestAccepted';
  }
  if (fields['Payee Id'] !== undefined && 'Payoneer Id' in fields)
    return 'Reason Description' in fields ? 'PayeeDeclined' : 'PayeeApproved';
  throw unrecognised(fields, 'neither a payout nor a payee notification');
}

function unrecognised(fields: Record<string, string>, why: string): ConnectorError {
  return new ConnectorError(
    'config',
    `unrecognised Payoneer notification: ${why} (fields: ${Object.keys(fields).join(', ') || 'none'}); check which IPCN type is sent to this URL`,
    { code: 'NOTIFICATION_UNRECOGNISED' },
  );
}
