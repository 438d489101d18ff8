import { ConnectorError, defineTrigger } from '@switchboard/connector-sdk';

import { ipcnFields } from '../payoneer-ipcn-fields';
import { verifyIpcnSignature } from '../payoneer-ipcn-signature';

/**
 * A payment received into the merchant account, as a signed notification (the sandbox's
 * `PaymentReceived`; payoneer.md found no Payoneer event for it, so the poll trigger
 * `receivedPayments` is the portable path). Payload: the notification's fields plus
 * `EventType`; the event id matches the poll's, so a payment seen both ways counts once.
 */
export const paymentReceived = defineTrigger({
  kind: 'webhook',
  name: 'paymentReceived',
  title: 'Payment received notification',
  events: ['payment.received'],
  payload: {
    type: 'object',
    required: ['Transaction Id', 'Amount', 'Currency', 'EventType'],
    properties: {
      'Transaction Id': { type: 'string', minLength: 1 },
      Amount: { type: 'string' },
      Currency: { type: 'string' },
      'Fee Amount': { type: 'string' },
      'Net Amount': { type: 'string' },
      EventType: { const: 'PaymentReceived' },
    },
  },
  verify: verifyIpcnSignature,
  toEvents(body) {
    const fields = ipcnFields(body);
    const transactionId = fields['Transaction Id'];
    if (!transactionId || !fields['Amount'] || !fields['Currency']) {
      throw new ConnectorError(
        'config',
        `a payment-received notification needs Transaction Id, Amount and Currency (fields: ${Object.keys(fields).join(', ')})`,
        { code: 'NOTIFICATION_UNRECOGNISED' },
      );
    }
    const occurredAt = fields['Transaction Date'];
    return [
      {
        event: 'payment.received',
        id: `payment:${transactionId}`,
        ...(occurredAt ? { occurredAt } : {}),
        payload: { ...fields, EventType: 'PaymentReceived' },
      },
    ];
  },
});
