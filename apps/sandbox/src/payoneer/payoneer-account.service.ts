import Decimal from 'decimal.js';
import { Inject, Injectable } from '@nestjs/common';
import { DomainEvents } from '../common/domain-events';
import { FxRates } from '../common/fx-rates';
import { toMoney } from '../common/money';
import { RandomSource } from '../common/random-source';
import { SandboxClock } from '../common/sandbox-clock';
import { SANDBOX_OPTIONS } from '../common/sandbox-options.token';
import { type ResolvedSandboxOptions } from '../sandbox-options';
import {
  type PayoneerBalance,
  type PayoneerTransaction,
  type TransactionCategoryId,
} from './payoneer.models';

/** A payment a buyer sends into the merchant's Payoneer account. */
export interface IncomingPayment {
  /** What the payer sent, in `currency`. */
  amount: Decimal;
  currency: string;
  /** Currency it is credited in; default: `currency` when the account holds it, else USD. */
  creditCurrency?: string;
  paymentReference: string;
  description: string;
  note?: string;
  payerName: string;
}

/** The merchant's Payoneer account: currency balances, their transactions and received payments. */
@Injectable()
export class PayoneerAccountService {
  private balances = new Map<string, PayoneerBalance>();
  private transactions: PayoneerTransaction[] = [];
  private nextTransaction = 1;

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    @Inject(SandboxClock) private readonly clock: SandboxClock,
    @Inject(RandomSource) private readonly random: RandomSource,
    @Inject(FxRates) private readonly fx: FxRates,
    @Inject(DomainEvents) private readonly events: DomainEvents,
  ) {
    this.reset();
  }

  /** Back to the opening balances with no transactions. */
  reset(): void {
    this.balances.clear();
    this.transactions = [];
    this.nextTransaction = 1;
    for (const [currency, amount] of Object.entries(this.options.initialBalances))
      this.balanceFor(currency).available = toMoney(amount);
  }

  /** Every currency balance. */
  listBalances(): PayoneerBalance[] {
    return [...this.balances.values()];
  }

  /** What is available in a currency (0 when the account holds none). */
  available(currency: string): Decimal {
    return new Decimal(this.balances.get(currency)?.available ?? '0');
  }

  /** Transactions between two times (inclusive), newest first. */
  listTransactions(filter: { fromMs?: number; toMs?: number } = {}): PayoneerTransaction[] {
    return this.transactions
      .filter(
        (transaction) =>
          (filter.fromMs === undefined || transaction.dateMs >= filter.fromMs) &&
          (filter.toMs === undefined || transaction.dateMs <= filter.toMs),
      )
      .sort((a, b) => b.dateMs - a.dateMs || Number(b.id) - Number(a.id));
  }

  /** Incoming payments only, oldest first: what the merchant was paid. */
  receivedPayments(): PayoneerTransaction[] {
    return this.transactions.filter(
      (transaction) =>
        transaction.categoryId === 1 && transaction.details.payment_reference !== undefined,
    );
  }

  /** Tops up a balance (a sandbox operation; shows as an incoming transfer). */
  fund(currency: string, amount: Decimal): PayoneerTransaction {
    return this.post(currency, 1, amount, 'Balance top-up (sandbox)', 2, {
      note: 'sandbox funding',
    });
  }

  /** Withdraws from a balance to the bank; default all of it. */
  drain(currency: string, amount?: Decimal): PayoneerTransaction {
    const value = amount ?? this.available(currency);
    return this.post(currency, 3, value.negated(), 'Withdrawal to bank (sandbox)', 2, {});
  }

  /** Reserves a payout's amount: an outgoing payment, pending until the payout settles. */
  debitForPayout(payout: {
    currency: string;
    amount: string;
    payeeId: string;
    clientReferenceId: string;
    description: string;
  }): PayoneerTransaction {
    return this.post(
      payout.currency,
      5,
      new Decimal(payout.amount).negated(),
      payout.description,
      1,
      {
        payee_id: payout.payeeId,
        payment_reference: payout.clientReferenceId,
      },
    );
  }

  /** Marks a payout's outgoing transaction completed. */
  completePayout(transactionId: string): void {
    const transaction = this.transactions.find((candidate) => candidate.id === transactionId);
    if (transaction) transaction.statusId = 2;
  }

  /** Cancels a payout's outgoing transaction and credits the amount back. */
  refundPayout(transactionId: string): void {
    const transaction = this.transactions.find((candidate) => candidate.id === transactionId);
    if (!transaction || transaction.statusId === 3) return;
    transaction.statusId = 3;
    this.post(
      transaction.currency,
      2,
      new Decimal(transaction.amount).negated(),
      `Refund of cancelled payout ${transaction.details.payment_reference ?? ''}`.trim(),
      2,
      {
        payment_reference: transaction.details.payment_reference ?? '',
      },
    );
  }

  /** Credits a received payment net of Payoneer's fee, converting when needed; emits `payment.received`. */
  receivePayment(payment: IncomingPayment): PayoneerTransaction {
    const creditCurrency =
      payment.creditCurrency ?? (this.balances.has(payment.currency) ? payment.currency : 'USD');
    const rate = this.fx.rate(payment.currency, creditCurrency);
    const transferAmount = new Decimal(toMoney(payment.amount.mul(rate)));
    const fee = new Decimal(toMoney(transferAmount.mul(this.options.receivedPaymentFeeRate)));
    const paymentDate = this.clock.now().toISOString();
    const transaction = this.post(
      creditCurrency,
      1,
      transferAmount.minus(fee),
      payment.description,
      2,
      {
        payment_date: paymentDate,
        amount_charged: toMoney(payment.amount),
        amount_charged_currency: payment.currency,
        fee: toMoney(fee),
        fee_currency: creditCurrency,
        transfer_amount: toMoney(transferAmount),
        transfer_amount_currency: creditCurrency,
        transfer_fx_rate: rate.toString(),
        transfer_source_currency: payment.currency,
        transfer_target_currency: creditCurrency,
        payment_reference: payment.paymentReference,
        note: payment.note ?? '',
      },
    );
    transaction.source = { type: 'payer', name: payment.payerName };
    this.events.emit('payoneer.payment.received', { transaction });
    return transaction;
  }

  private post(
    currency: string,
    categoryId: TransactionCategoryId,
    amount: Decimal,
    description: string,
    statusId: PayoneerTransaction['statusId'],
    details: Record<string, string>,
  ): PayoneerTransaction {
    const balance = this.balanceFor(currency);
    const now = this.clock.nowMs();
    balance.available = toMoney(new Decimal(balance.available).plus(amount));
    balance.updatedMs = now;
    const transaction: PayoneerTransaction = {
      id: String(880_000_000 + this.nextTransaction++),
      categoryId,
      description,
      dateMs: now,
      amount: toMoney(amount),
      currency,
      balanceId: balance.id,
      runningBalance: balance.available,
      statusId,
      details,
    };
    this.transactions.push(transaction);
    return transaction;
  }

  private balanceFor(currency: string): PayoneerBalance {
    let balance = this.balances.get(currency);
    if (!balance) {
      balance = {
        id: `43661818${this.random.stream('payoneer-balances').int(10_000_000, 99_999_999)}`,
        currency,
        available: '0.00',
        updatedMs: this.clock.nowMs(),
      };
      this.balances.set(currency, balance);
    }
    return balance;
  }
}
