import { readIpcnPayoutNotification } from './ipcn-payout-notification';
import { mapGatewayStatus } from './payout-status-mapping';

describe('Payoneer notifications as payout statuses', () => {
  it('reads a transfer as paid and a payee-not-found cancel as a review case', () => {
    const sent = readIpcnPayoutNotification('SentToBank', {
      'Payee Id': 'P',
      IntPaymentId: 'R-A1',
      Amount: '10.00',
    });
    expect(sent?.clientReferenceId).toBe('R-A1');
    expect(mapGatewayStatus(sent!.status)).toMatchObject({ status: 'paid' });

    const cancelled = readIpcnPayoutNotification('CancelPayout', {
      IntPaymentId: 'R-A1',
      'Reason Code': '10005',
      'Reason Description': 'Payee was not found',
    });
    expect(mapGatewayStatus(cancelled!.status)).toEqual({
      status: 'in_review',
      reason: 'Payoneer cancelled the payout: 10005 Payee was not found',
      needsReview: true,
    });
  });

  it('treats a cancel without a reason code as our own cancellation', () => {
    const cancelled = readIpcnPayoutNotification('CancelPayout', {
      IntPaymentId: 'R-A1',
      'Reason Code': '',
    });
    expect(mapGatewayStatus(cancelled!.status).status).toBe('cancelled');
  });

  it('ignores events that are not about a payout', () => {
    expect(readIpcnPayoutNotification('PayeeApproved', { 'Payee Id': 'P' })).toBeNull();
    expect(readIpcnPayoutNotification('PaymentReceived', { 'Transaction Id': 'T' })).toBeNull();
  });
});
