import Decimal from 'decimal.js';
import {
  type PayoutBatch,
  type PayoutBatchSource,
  type PayoutItem,
  type PayoutItemStatus,
  type PayoutItemTransition,
  type PayoutStatusCounts,
} from '@switchboard/persistence';
import { clientReferenceIdFor } from './client-reference-id';
import { timerSleep, withGatewayRetry } from './gateway-retry';
import { PayoutInputError, PayoutNotFoundError, PayoutStateError } from './payout.errors';
import { parsePayoutCsv } from './payout-csv.parser';
import { type PayablesSource } from './payables-source.port';
import { type GatewayPayeeStatus } from './payout-gateway.port';
import { checkPayoutLines, type PayoutLine } from './payout-line';
import { type PayoutStatusTracker } from './payout-status.tracker';
import { type PayoutsDependencies } from './payouts.dependencies';
import { type ResolvedPayoutsOptions } from './payouts.options';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A request to build a batch. */
export interface NewPayoutBatchRequest {
  /** Business reference of the batch (e.g. `COMMISSIONS-2026-03`); building it twice is refused. */
  reference: string;
  source: PayoutBatchSource;
  description?: string;
  /** Who asked: an API key name, `system:clarity-payables`, … */
  createdBy: string;
  lines: readonly PayoutLine[];
}

/** A batch with its progress. */
export interface PayoutBatchView {
  batch: PayoutBatch;
  counts: PayoutStatusCounts;
  /** Item count. */
  total: number;
}

/** An item with its audit trail and every attempt at its business reference. */
export interface PayoutItemHistory {
  item: PayoutItem;
  transitions: PayoutItemTransition[];
  attempts: PayoutItem[];
}

/** A dry run of a batch: what would be paid (totals per currency) and what would go to review. */
export interface PayoutBatchPreview {
  valid: Array<PayoutLine & { payeeId: string | null }>;
  invalid: Array<PayoutLine & { payeeId: string | null; problem: string }>;
  /** Sum of the valid lines per currency, decimal strings. */
  totals: Record<string, string>;
}

/** Outcome of validating a batch's drafts. */
export interface PayoutBatchQueueReport {
  queued: number;
  inReview: number;
}

/**
 * Builds payout batches, validates them before anything is sent, and handles the review queue
 * (re-initiating a corrected item as a new linked attempt, or cancelling it). Submission is
 * `PayoutSubmissionService`'s job; every method here is one API call for a thin controller.
 */
export class PayoutBatchService {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly deps: PayoutsDependencies,
    private readonly options: ResolvedPayoutsOptions,
    private readonly tracker: PayoutStatusTracker,
  ) {
    this.sleep = deps.sleep ?? timerSleep;
  }

  /** Stores a batch of draft items, each payee resolved through the id map (null when unknown). */
  async createBatch(request: NewPayoutBatchRequest): Promise<PayoutBatchView> {
    if (typeof request.reference !== 'string' || request.reference.trim() === '')
      throw new PayoutInputError('reference: a batch needs a non-empty business reference');
    const lines = checkPayoutLines(request.lines, 'lines');
    const items = [];
    for (const line of lines) {
      items.push({
        ...line,
        attempt: 1,
        clientReferenceId: clientReferenceIdFor(line.businessReference, 1),
        payeeId: await this.deps.payees.resolve(line.partyReference),
      });
    }
    const { batch } = await this.deps.repository.createBatch(
      {
        reference: request.reference.trim(),
        source: request.source,
        account: this.options.account,
        description: request.description ?? null,
        createdBy: request.createdBy,
      },
      items,
    );
    await this.deps.audit.append({
      actor: request.createdBy,
      action: 'payouts.batch.create',
      subjectType: 'payout_batch',
      subjectId: batch.id,
      details: { reference: batch.reference, source: batch.source, items: items.length },
    });
    return this.getBatch(batch.id);
  }

  /**
   * What `createBatch` + `queueBatch` would do, without storing or sending anything: each line with
   * the payee it resolves to and, when it would go to review, why (dry run).
   */
  async previewBatch(lines: readonly PayoutLine[]): Promise<PayoutBatchPreview> {
    const checked = checkPayoutLines(lines, 'lines');
    const payeeStatuses = new Map<string, GatewayPayeeStatus>();
    const preview: PayoutBatchPreview = { valid: [], invalid: [], totals: {} };
    for (const line of checked) {
      const payeeId = await this.deps.payees.resolve(line.partyReference);
      const problem = await this.findProblem(line, payeeId, payeeStatuses);
      if (problem === null) {
        preview.valid.push({ ...line, payeeId });
        const total = preview.totals[line.currency] ?? '0.00';
        preview.totals[line.currency] = new Decimal(total).plus(line.amount).toFixed(2);
      } else preview.invalid.push({ ...line, payeeId, problem });
    }
    return preview;
  }

  /** Cancels every item of a batch that was never sent (draft or queued); returns how many. */
  async cancelUnsent(batchId: string, request: { actor: string; reason: string }): Promise<number> {
    await this.requireBatch(batchId);
    const unsent = await this.deps.repository.listItems(batchId, ['draft', 'queued']);
    const moved = await this.deps.repository.transition(
      unsent.map((item) => item.id),
      { from: ['draft', 'queued'], to: 'cancelled', actor: request.actor, reason: request.reason },
    );
    await this.deps.audit.append({
      actor: request.actor,
      action: 'payouts.batch.cancel_unsent',
      subjectType: 'payout_batch',
      subjectId: batchId,
      details: { cancelled: moved.length, reason: request.reason },
    });
    return moved.length;
  }

  /** Builds a batch from a CSV upload (see `parsePayoutCsv`). */
  async createBatchFromCsv(
    csv: string,
    fileName: string,
    request: Omit<NewPayoutBatchRequest, 'lines' | 'source'>,
  ): Promise<PayoutBatchView> {
    return this.createBatch({ ...request, source: 'csv', lines: parsePayoutCsv(csv, fileName) });
  }

  /**
   * Builds a batch from what a source (Clarity) says is owed. Payables already in a batch are left
   * out, so pulling twice never pays twice; their fate is the review flow's. `skipped` counts them.
   */
  async createBatchFromPayables(
    source: PayablesSource,
    request: Omit<NewPayoutBatchRequest, 'lines' | 'source'>,
  ): Promise<PayoutBatchView & { skipped: number }> {
    const payables = await source.listPayables();
    const fresh: PayoutLine[] = [];
    for (const line of payables) {
      if ((await this.deps.repository.listAttempts(line.businessReference)).length === 0)
        fresh.push(line);
    }
    if (fresh.length === 0)
      throw new PayoutStateError(
        `nothing new to pay: all ${payables.length} payables are already in payout batches`,
      );
    const view = await this.createBatch({ ...request, source: 'clarity', lines: fresh });
    return { ...view, skipped: payables.length - fresh.length };
  }

  /**
   * Validates every draft item (amount > 0, currency supported, payee known and active at Payoneer):
   * valid ones are queued for submission, each invalid one alone goes to review with an alert to finance.
   */
  async queueBatch(batchId: string, actor: string): Promise<PayoutBatchQueueReport> {
    await this.requireBatch(batchId);
    const drafts = await this.deps.repository.listItems(batchId, ['draft']);
    const payeeStatuses = new Map<string, GatewayPayeeStatus>();
    const report: PayoutBatchQueueReport = { queued: 0, inReview: 0 };
    const valid: string[] = [];
    for (const item of drafts) {
      const problem = await this.findProblem(item, item.payeeId, payeeStatuses);
      if (problem === null) valid.push(item.id);
      else {
        await this.tracker.toReview(item, problem, 'validation');
        report.inReview++;
      }
    }
    report.queued = (
      await this.deps.repository.transition(valid, {
        from: ['draft'],
        to: 'queued',
        actor,
        reason: 'validated',
      })
    ).length;
    return report;
  }

  /** A batch with counts per status. */
  async getBatch(batchId: string): Promise<PayoutBatchView> {
    const batch = await this.requireBatch(batchId);
    const counts = await this.deps.repository.countByStatus(batchId);
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    return { batch, counts, total };
  }

  /** A batch's items in queue order, optionally only some statuses. */
  async listItems(batchId: string, statuses?: readonly PayoutItemStatus[]): Promise<PayoutItem[]> {
    await this.requireBatch(batchId);
    return this.deps.repository.listItems(batchId, statuses);
  }

  /** An item, its stored transitions and all attempts at its business reference. */
  async getItemHistory(itemId: string): Promise<PayoutItemHistory> {
    const item = await this.requireItem(itemId);
    return {
      item,
      transitions: await this.deps.repository.listTransitions(item.id),
      attempts: await this.deps.repository.listAttempts(item.businessReference),
    };
  }

  /**
   * After the payee was corrected (in the id map, or `payeeId` given here), pays an item in review
   * again: a new attempt with a new client reference id, linked to this one, which is closed. Refused
   * while Payoneer still holds this attempt as live, so both can never be paid.
   */
  async reinitiateItem(
    itemId: string,
    request: { actor: string; payeeId?: string; note?: string },
  ): Promise<PayoutItem> {
    const item = await this.requireItem(itemId);
    if (item.status !== 'in_review')
      throw new PayoutStateError(
        `payout item ${item.clientReferenceId} is ${item.status}; only items in review can be re-initiated`,
      );
    if (item.submittedAt !== null) {
      const atPayoneer = await this.call(() => this.deps.gateway.getStatus(item.clientReferenceId));
      if (
        atPayoneer !== null &&
        atPayoneer.status !== 'cancelled' &&
        atPayoneer.status !== 'failed'
      )
        throw new PayoutStateError(
          `payout ${item.clientReferenceId} is still ${atPayoneer.rawStatus} at Payoneer; cancel it there before re-initiating`,
        );
    }
    const payeeId = request.payeeId ?? (await this.deps.payees.resolve(item.partyReference));
    const problem = await this.findProblem(item, payeeId, new Map());
    if (problem !== null)
      throw new PayoutStateError(
        `payout item ${item.clientReferenceId} cannot be re-initiated: ${problem}`,
      );
    const attempt = item.attempt + 1;
    const next = await this.deps.repository.replaceAttempt(
      item,
      ['in_review'],
      {
        businessReference: item.businessReference,
        attempt,
        clientReferenceId: clientReferenceIdFor(item.businessReference, attempt),
        partyReference: item.partyReference,
        payeeId,
        amount: item.amount,
        currency: item.currency,
        description: item.description,
      },
      'queued',
      request.actor,
      request.note ?? `re-initiated after review (payee ${payeeId ?? 'none'})`,
    );
    if (next === null)
      throw new PayoutStateError(
        `payout item ${item.clientReferenceId} changed while being re-initiated; try again`,
      );
    await this.deps.audit.append({
      actor: request.actor,
      action: 'payouts.item.reinitiate',
      subjectType: 'payout_item',
      subjectId: item.id,
      details: {
        previous: item.clientReferenceId,
        next: next.clientReferenceId,
        previousPayeeId: item.payeeId,
        payeeId,
        note: request.note ?? null,
      },
    });
    return next;
  }

  /** Abandons an item that was never sent or is in review. */
  async cancelItem(
    itemId: string,
    request: { actor: string; reason: string },
  ): Promise<PayoutItem> {
    const item = await this.requireItem(itemId);
    const cancellable: PayoutItemStatus[] = ['draft', 'queued', 'in_review'];
    const moved = await this.deps.repository.transition([item.id], {
      from: cancellable,
      to: 'cancelled',
      actor: request.actor,
      reason: request.reason,
    });
    if (moved.length === 0)
      throw new PayoutStateError(
        `payout item ${item.clientReferenceId} is ${item.status}; only ${cancellable.join(', ')} items can be cancelled here`,
      );
    await this.deps.audit.append({
      actor: request.actor,
      action: 'payouts.item.cancel',
      subjectType: 'payout_item',
      subjectId: item.id,
      details: { clientReferenceId: item.clientReferenceId, reason: request.reason },
    });
    return this.requireItem(itemId);
  }

  /** Why `item` cannot be sent to `payeeId`, or null when it can. */
  private async findProblem(
    item: Pick<PayoutItem, 'amount' | 'currency' | 'partyReference'>,
    payeeId: string | null,
    payeeStatuses: Map<string, GatewayPayeeStatus>,
  ): Promise<string | null> {
    if (!new Decimal(item.amount).gt(0)) return `amount must be greater than 0, got ${item.amount}`;
    if (!this.options.supportedCurrencies.includes(item.currency))
      return `currency ${item.currency} is not supported (supported: ${this.options.supportedCurrencies.join(', ')})`;
    if (payeeId === null) return `no Payoneer payee is mapped to ${item.partyReference}`;
    let status = payeeStatuses.get(payeeId);
    if (status === undefined) {
      status = await this.call(() => this.deps.gateway.getPayeeStatus(payeeId));
      payeeStatuses.set(payeeId, status);
    }
    return status === 'active' ? null : `payee ${payeeId} is ${status} at Payoneer`;
  }

  private async requireBatch(batchId: string): Promise<PayoutBatch> {
    if (!UUID.test(batchId)) throw new PayoutInputError(`batch id "${batchId}" is not a UUID`);
    const batch = await this.deps.repository.findBatch(batchId);
    if (batch === null) throw new PayoutNotFoundError(`payout batch ${batchId} does not exist`);
    return batch;
  }

  private async requireItem(itemId: string): Promise<PayoutItem> {
    if (!UUID.test(itemId)) throw new PayoutInputError(`item id "${itemId}" is not a UUID`);
    const item = await this.deps.repository.findItem(itemId);
    if (item === null) throw new PayoutNotFoundError(`payout item ${itemId} does not exist`);
    return item;
  }

  private call<T>(call: () => Promise<T>): Promise<T> {
    return withGatewayRetry(call, this.options.retry, this.sleep);
  }
}
