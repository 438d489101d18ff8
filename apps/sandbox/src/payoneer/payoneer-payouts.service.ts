import Decimal from 'decimal.js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '../common/domain-events';
import { FxRates } from '../common/fx-rates';
import { moneyNumber, parseAmount, toMoney } from '../common/money';
import { RandomSource } from '../common/random-source';
import { SandboxClock } from '../common/sandbox-clock';
import { SANDBOX_OPTIONS } from '../common/sandbox-options.token';
import { type ResolvedSandboxOptions } from '../sandbox-options';
import { FaultInjector } from '../faults/fault-injector.service';
import { PayoneerAccountService } from './payoneer-account.service';
import { PayoneerApiError, type PayoneerErrorItem } from './payoneer-api.error';
import { PayoneerPayeesService } from './payoneer-payees.service';
import { payoneerDate } from './payoneer-program';
import { PAYEE_STATUS, type PayoneerPayout, type PayoutStatus } from './payoneer.models';

/** The request a mass payout arrived on, for fault matching. */
export interface PayoutRequestRoute {
  method: string;
  path: string;
}

interface PayoutItemInput {
  clientReferenceId: string;
  payeeId: string;
  amount: Decimal;
  currency: string;
  description: string;
  groupId?: string;
}

const PAYEE_NOT_FOUND = { code: 10005, description: 'Payee was not found' };
const PAYEE_INACTIVE = {
  code: 10009,
  description: 'Action cannot be performed because payee is inactive',
};

/**
 * Mass payouts: all-or-nothing validation, idempotency by client_reference_id, balance
 * reservation, and a lifecycle (Pending → Pending Payee → Transferred | Cancelled) driven by
 * the sandbox clock.
 */
@Injectable()
export class PayoneerPayoutsService implements OnModuleInit {
  private payouts = new Map<string, PayoneerPayout>();

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    @Inject(SandboxClock) private readonly clock: SandboxClock,
    @Inject(RandomSource) private readonly random: RandomSource,
    @Inject(FxRates) private readonly fx: FxRates,
    @Inject(DomainEvents) private readonly events: DomainEvents,
    @Inject(FaultInjector) private readonly faults: FaultInjector,
    @Inject(PayoneerAccountService) private readonly account: PayoneerAccountService,
    @Inject(PayoneerPayeesService) private readonly payees: PayoneerPayeesService,
  ) {}

  onModuleInit(): void {
    this.clock.onTick(() => this.settleDue());
    this.events.on('payoneer.payee.status_changed', ({ payee }) => {
      // A payee's decision unblocks the payouts that waited on it.
      for (const payout of this.payouts.values()) {
        if (
          payout.payeeId === payee.payeeId &&
          payout.status === 'Pending Payee' &&
          payout.settleAtMs === undefined
        ) {
          payout.settleAtMs = this.clock.nowMs() + this.options.payoutSettleMs;
        }
      }
    });
  }

  /** Forgets every payout. */
  reset(): void {
    this.payouts.clear();
  }

  /** Every payout in acceptance order, for the control API. */
  list(): PayoneerPayout[] {
    return [...this.payouts.values()];
  }

  /** `POST /v4/programs/{id}/masspayouts`: validates the whole batch, then accepts every item. */
  submit(body: unknown, route: PayoutRequestRoute): void {
    const items = this.readBatch(body);
    const existing = items.filter((item) => this.payouts.has(item.clientReferenceId));
    if (existing.length > 0) {
      throw new PayoneerApiError(400, 'Payout already exists', {
        code: 400,
        sub_code: 10304,
        errors: existing.map((item) => ({
          code: 10304,
          target: 'client_reference_id',
          value: item.clientReferenceId,
          message: `Payout already exists: ${item.clientReferenceId}`,
        })),
      });
    }
    const needed = new Map<string, Decimal>();
    for (const item of items)
      needed.set(item.currency, (needed.get(item.currency) ?? new Decimal(0)).plus(item.amount));
    const forcedShortfall = this.faults.forBusinessRequest(
      'payoneer',
      'insufficient_funds',
      route.method,
      route.path,
    );
    for (const [currency, amount] of needed) {
      if (forcedShortfall || amount.gt(this.account.available(currency))) {
        throw new PayoneerApiError(400, 'Insufficient funds', {
          code: 400,
          sub_code: 3,
          errors: [
            {
              code: 3,
              target: 'balance',
              value: currency,
              message: `Insufficient funds: ${toMoney(amount)} ${currency} needed, ${toMoney(this.account.available(currency))} available`,
            },
          ],
        });
      }
    }
    const now = this.clock.nowMs();
    for (const item of items) {
      const amount = toMoney(item.amount);
      const transaction = this.account.debitForPayout({ ...item, amount });
      const payout: PayoneerPayout = {
        programId: this.options.credentials.payoneer.programId,
        clientReferenceId: item.clientReferenceId,
        payoutId: String(
          this.random.stream('payoneer-payout-ids').int(1_000_000_000, 1_999_999_999),
        ),
        payeeId: item.payeeId,
        amount,
        currency: item.currency,
        description: item.description,
        groupId: item.groupId,
        payoutDateMs: now,
        status: 'Pending',
        settleAtMs: now + this.options.payoutSettleMs,
        cancelRequested: false,
        forcedInvalidPayee:
          this.faults.forBusinessRequest('payoneer', 'invalid_payee', route.method, route.path) !==
          undefined,
        transactionId: transaction.id,
        history: [],
      };
      this.payouts.set(payout.clientReferenceId, payout);
      this.transition(payout, 'Pending');
    }
  }

  /** `GET /payouts/{ref}/status`: the v4 `result` shape. */
  status(clientReferenceId: string): Record<string, unknown> {
    const payout = this.require(clientReferenceId);
    const result: Record<string, unknown> = {
      payout_date: payoneerDate(payout.payoutDateMs),
      amount: moneyNumber(payout.amount),
      currency: payout.currency,
      status: payout.status,
      payee_id: payout.payeeId,
      payout_id: payout.payoutId,
    };
    if (payout.loadDateMs !== undefined) result.load_date = payoneerDate(payout.loadDateMs);
    if (payout.targetAmount !== undefined) {
      result.target_amount = moneyNumber(payout.targetAmount);
      result.target_currency = payout.targetCurrency;
    }
    if (payout.reasonCode !== undefined) result.reason_code = payout.reasonCode;
    if (payout.reasonDescription !== undefined)
      result.reason_description = payout.reasonDescription;
    if (payout.cancelReasonCode !== undefined) result.cancel_reason_code = payout.cancelReasonCode;
    if (payout.cancelReasonDescription !== undefined)
      result.cancel_reason_description = payout.cancelReasonDescription;
    return result;
  }

  /** `PUT /payouts/{ref}/cancel`: accepted now, performed asynchronously on the next tick. */
  requestCancel(clientReferenceId: string): void {
    const payout = this.require(clientReferenceId);
    if (payout.status === 'Transferred' || payout.status === 'Cancelled') {
      throw new PayoneerApiError(
        400,
        `Payout cannot be cancelled: its status is ${payout.status}`,
        { code: 400, sub_code: 1000 },
      );
    }
    payout.cancelRequested = true;
    payout.settleAtMs = this.clock.nowMs();
  }

  /** Moves every payout whose time has come; runs on each clock tick. */
  settleDue(): void {
    const now = this.clock.nowMs();
    const due = [...this.payouts.values()]
      .filter(
        (payout) =>
          (payout.status === 'Pending' || payout.status === 'Pending Payee') &&
          payout.settleAtMs !== undefined &&
          payout.settleAtMs <= now,
      )
      .sort((a, b) => (a.settleAtMs ?? 0) - (b.settleAtMs ?? 0));
    for (const payout of due) this.settle(payout);
  }

  private settle(payout: PayoneerPayout): void {
    payout.settleAtMs = undefined;
    const payee = this.payees.get(payout.payeeId);
    if (payout.cancelRequested)
      return this.cancel(payout, undefined, 'Payout cancelled at the partner’s request');
    if (payout.forcedInvalidPayee || !payee)
      return this.cancel(payout, PAYEE_NOT_FOUND.code, PAYEE_NOT_FOUND.description);
    if (payee.status === PAYEE_STATUS.INACTIVE)
      return this.cancel(payout, PAYEE_INACTIVE.code, PAYEE_INACTIVE.description);
    if (payee.status === PAYEE_STATUS.PENDING) {
      payout.reasonDescription = 'Waiting for the payee to complete registration';
      if (payout.status !== 'Pending Payee') this.transition(payout, 'Pending Payee');
      return;
    }
    payout.reasonDescription = undefined;
    payout.loadDateMs = this.clock.nowMs();
    if (
      payee.payoutMethod.currency !== payout.currency &&
      this.fx.knows(payee.payoutMethod.currency)
    ) {
      payout.targetCurrency = payee.payoutMethod.currency;
      payout.targetAmount = toMoney(
        new Decimal(payout.amount).mul(this.fx.rate(payout.currency, payee.payoutMethod.currency)),
      );
    }
    this.account.completePayout(payout.transactionId);
    this.transition(payout, 'Transferred');
  }

  private cancel(payout: PayoneerPayout, code: number | undefined, description: string): void {
    payout.reasonDescription = undefined;
    payout.cancelReasonCode = code;
    payout.cancelReasonDescription = description;
    this.account.refundPayout(payout.transactionId);
    this.transition(payout, 'Cancelled', code, description);
  }

  private transition(
    payout: PayoneerPayout,
    status: PayoutStatus,
    reasonCode?: number,
    reasonDescription?: string,
  ): void {
    const previousStatus = payout.history.at(-1)?.status;
    payout.status = status;
    payout.history.push({
      status,
      at: this.clock.now().toISOString(),
      reasonCode,
      reasonDescription,
    });
    this.events.emit('payoneer.payout.status_changed', { payout, previousStatus });
  }

  private require(clientReferenceId: string): PayoneerPayout {
    const payout = this.payouts.get(clientReferenceId);
    // payoneer.md: sources disagree whether 2306 sits in code or sub_code, so it is in both.
    if (!payout)
      throw new PayoneerApiError(404, 'Payout not found', { code: 2306, sub_code: 2306 });
    return payout;
  }

  private readBatch(body: unknown): PayoutItemInput[] {
    const record =
      body !== null && typeof body === 'object' && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : {};
    const raw = record.Payments ?? record.payments;
    if (!Array.isArray(raw) || raw.length === 0) {
      throw validationError([
        { code: 1000, target: 'Payments', message: 'Payments must be a non-empty array' },
      ]);
    }
    if (raw.length > this.options.payoutBatchLimit) {
      throw validationError([
        {
          code: 1000,
          target: 'Payments',
          message: `Payments holds ${raw.length} items; the limit is ${this.options.payoutBatchLimit}`,
        },
      ]);
    }
    const errors: PayoneerErrorItem[] = [];
    const seen = new Set<string>();
    const items: PayoutItemInput[] = [];
    raw.forEach((entry: unknown, index) => {
      const item =
        entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
      const at = (field: string) => `Payments[${index}].${field}`;
      const text = (field: string) => {
        const value = item[field];
        return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
      };
      const clientReferenceId = text('client_reference_id');
      const payeeId = text('payee_id');
      const description = text('description');
      const currency = text('currency');
      const amount = parseAmount(item.amount);
      if (clientReferenceId === undefined)
        errors.push({
          code: 1000,
          target: at('client_reference_id'),
          message: 'client_reference_id is required',
        });
      else if (seen.has(clientReferenceId))
        errors.push({
          code: 1000,
          target: at('client_reference_id'),
          value: clientReferenceId,
          message: 'client_reference_id appears twice in this request',
        });
      if (payeeId === undefined)
        errors.push({ code: 1000, target: at('payee_id'), message: 'payee_id is required' });
      if (description === undefined)
        errors.push({ code: 1000, target: at('description'), message: 'description is required' });
      if (amount === undefined || amount.lte(0) || amount.decimalPlaces() > 2) {
        errors.push({
          code: 1000,
          target: at('amount'),
          value: item.amount,
          message: 'amount must be a positive decimal with at most 2 places',
        });
      }
      if (currency === undefined || !/^[A-Z]{3}$/.test(currency))
        errors.push({
          code: 1000,
          target: at('currency'),
          value: item.currency,
          message: 'currency must be an ISO-4217 code',
        });
      else if (!this.fx.knows(currency))
        errors.push({
          code: 1000,
          target: at('currency'),
          value: currency,
          message: `currency ${currency} is not supported`,
        });
      if (clientReferenceId !== undefined) seen.add(clientReferenceId);
      if (clientReferenceId && payeeId && description && amount && currency) {
        items.push({
          clientReferenceId,
          payeeId,
          amount,
          currency,
          description,
          groupId: text('group_id'),
        });
      }
    });
    if (errors.length > 0) throw validationError(errors);
    return items;
  }
}

function validationError(errors: PayoneerErrorItem[]): PayoneerApiError {
  return new PayoneerApiError(400, 'Request validation failed', {
    code: 400,
    sub_code: 1000,
    errors,
  });
}
