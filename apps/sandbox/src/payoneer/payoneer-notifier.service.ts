import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '../common/domain-events';
import { RandomSource } from '../common/random-source';
import { SandboxClock } from '../common/sandbox-clock';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';
import { PayoneerPayeesService } from './payoneer-payees.service';
import { PAYEE_STATUS } from './payoneer.models';

/**
 * Payoneer IPCN notifications: flat bodies with space-separated keys and string values,
 * one event type per configured URL (payoneer.md §6). `PaymentReceived` is a sandbox addition.
 */
@Injectable()
export class PayoneerNotifier implements OnModuleInit {
  constructor(
    @Inject(DomainEvents) private readonly events: DomainEvents,
    @Inject(WebhookDispatcher) private readonly dispatcher: WebhookDispatcher,
    @Inject(RandomSource) private readonly random: RandomSource,
    @Inject(SandboxClock) private readonly clock: SandboxClock,
    @Inject(PayoneerPayeesService) private readonly payees: PayoneerPayeesService,
  ) {}

  onModuleInit(): void {
    this.events.on('payoneer.payout.status_changed', ({ payout, previousStatus }) => {
      const now = this.clock.now().toISOString();
      if (payout.status === 'Pending' && previousStatus === undefined) {
        this.publish('PaymentRequestAccepted', {
          'Payee Id': payout.payeeId,
          IntPaymentId: payout.clientReferenceId,
        });
      } else if (payout.status === 'Transferred') {
        const method = this.payees.get(payout.payeeId)?.payoutMethod.type;
        this.publish(method === 'BANK' ? 'SentToBank' : 'AccountCardLoaded', {
          'Payee Id': payout.payeeId,
          Amount: payout.targetAmount ?? payout.amount,
          IntPaymentId: payout.clientReferenceId,
          Currency: payout.targetCurrency ?? payout.currency,
          'Transaction Date': now,
        });
      } else if (payout.status === 'Cancelled') {
        this.publish('CancelPayout', {
          'Payee Id': payout.payeeId,
          IntPaymentId: payout.clientReferenceId,
          'Reason Code':
            payout.cancelReasonCode === undefined ? '' : String(payout.cancelReasonCode),
          'Reason Description': payout.cancelReasonDescription ?? '',
          'Payment Amount': payout.amount,
          'Canceled Payment Date': now,
        });
      }
    });
    this.events.on('payoneer.payee.status_changed', ({ payee, previousStatus }) => {
      const base = {
        'Payee Id': payee.payeeId,
        'Payoneer Id': payee.accountId ?? '',
        'Session Id': '',
      };
      if (payee.status === PAYEE_STATUS.ACTIVE) this.publish('PayeeApproved', base);
      else if (payee.status === PAYEE_STATUS.INACTIVE && previousStatus === PAYEE_STATUS.PENDING) {
        this.publish('PayeeDeclined', {
          ...base,
          'Reason Description': 'Payee registration was declined',
        });
      }
    });
    this.events.on('payoneer.payment.received', ({ transaction }) => {
      const details = transaction.details;
      this.publish('PaymentReceived', {
        'Transaction Id': transaction.id,
        'Payment Reference': details.payment_reference ?? '',
        Amount: details.transfer_amount ?? transaction.amount,
        Currency: transaction.currency,
        'Fee Amount': details.fee ?? '0.00',
        'Fee Currency': details.fee_currency ?? transaction.currency,
        'Net Amount': transaction.amount,
        'Source Amount': details.amount_charged ?? '',
        'Source Currency': details.amount_charged_currency ?? '',
        'FX Rate': details.transfer_fx_rate ?? '1',
        'Transaction Date': new Date(transaction.dateMs).toISOString(),
        'Payer Name': transaction.source?.name ?? '',
      });
    });
  }

  private publish(event: string, fields: Record<string, string>): void {
    this.dispatcher.publish(
      'payoneer',
      event,
      `ipcn_${this.random.stream('payoneer-events').hex(24)}`,
      fields,
    );
  }
}
