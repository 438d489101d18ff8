import Decimal from 'decimal.js';
import { type PayoutItem, type PayoutQueuePause } from '@switchboard/persistence';
import { timerSleep, withGatewayRetry } from './gateway-retry';
import { PayoutGatewayError, PayoutStateError } from './payout.errors';
import { type PayoutSubmission } from './payout-gateway.port';
import { type PayoutStatusTracker } from './payout-status.tracker';
import { type PayoutsDependencies } from './payouts.dependencies';
import { type ResolvedPayoutsOptions } from './payouts.options';

/** What one `processQueues` run did. */
export interface PayoutQueueRunReport {
  /** Items Payoneer accepted in this run. */
  submitted: number;
  chunks: number;
  /** Items left `submitted` by an earlier (crashed) run that Payoneer turned out to have. */
  reconciled: number;
  /** Items left `submitted` by an earlier run that Payoneer never received: queued again, same reference. */
  requeued: number;
  /** Items Payoneer refused as invalid, now in review. */
  inReview: number;
  /** Currencies whose queue is paused after this run. */
  paused: string[];
}

const ACTOR = 'system:payout-submitter';
/** Reason of a pause asked for through the API. */
export const MANUAL_PAUSE = 'manual';

/**
 * Sends queued payout items to Payoneer, per account/currency queue in FIFO order, in chunks.
 * Crash safety: a chunk is marked `submitted` before it is sent, and client reference ids are
 * deterministic, so a later run asks Payoneer about unanswered items before resending anything,
 * and a resend of something Payoneer already has is refused by Payoneer. A queue whose balance
 * cannot cover the next items is paused (treasury alerted) and resumes where it stopped.
 */
export class PayoutSubmissionService {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly deps: PayoutsDependencies,
    private readonly options: ResolvedPayoutsOptions,
    private readonly tracker: PayoutStatusTracker,
  ) {
    this.sleep = deps.sleep ?? timerSleep;
  }

  /** Resolves unanswered submissions, then drains every unpaused queue of the account. */
  async processQueues(): Promise<PayoutQueueRunReport> {
    const report: PayoutQueueRunReport = {
      submitted: 0,
      chunks: 0,
      reconciled: 0,
      requeued: 0,
      inReview: 0,
      paused: [],
    };
    await this.recoverInFlight(report);
    for (const currency of await this.deps.repository.queuedCurrencies(this.options.account)) {
      if ((await this.deps.repository.openPause(this.options.account, currency)) !== null) {
        report.paused.push(currency);
        continue;
      }
      await this.drainQueue(currency, report);
    }
    return report;
  }

  /** Resumes a paused queue on an operator's word; the next `processQueues` continues where it stopped. */
  async resumeQueue(currency: string, actor: string): Promise<PayoutQueuePause> {
    const resumed = await this.deps.repository.resumeQueue(this.options.account, currency, actor);
    if (resumed === null)
      throw new PayoutStateError(`payout queue ${this.options.account}/${currency} is not paused`);
    await this.deps.audit.append({
      actor,
      action: 'payouts.queue.resume',
      subjectType: 'payout_queue',
      subjectId: `${this.options.account}/${currency}`,
      details: { pauseId: resumed.id, reason: resumed.reason },
    });
    return resumed;
  }

  /** Pauses a queue on an operator's word; only an operator (`resumeQueue`) resumes it, never the balance poll. */
  async pauseQueue(currency: string, actor: string, note?: string): Promise<PayoutQueuePause> {
    const queue = `${this.options.account}/${currency}`;
    const { pause, opened } = await this.deps.repository.pauseQueue(
      this.options.account,
      currency,
      MANUAL_PAUSE,
      { actor, note: note ?? null },
    );
    if (!opened)
      throw new PayoutStateError(`payout queue ${queue} is already paused (${pause.reason})`);
    await this.deps.audit.append({
      actor,
      action: 'payouts.queue.pause',
      subjectType: 'payout_queue',
      subjectId: queue,
      details: { pauseId: pause.id, reason: pause.reason, note: note ?? null },
    });
    return pause;
  }

  /** The queues of the account that are paused now. */
  async listPausedQueues(): Promise<PayoutQueuePause[]> {
    return this.deps.repository.listOpenPauses(this.options.account);
  }

  /** Resumes each paused queue whose balance now covers its next chunk (the automatic path); returns their currencies. */
  async pollPausedQueues(): Promise<string[]> {
    const resumed: string[] = [];
    for (const pause of await this.deps.repository.listOpenPauses(this.options.account)) {
      // A pause an operator asked for waits for an operator, however well funded the queue is.
      if (pause.reason === MANUAL_PAUSE) continue;
      const next = await this.deps.repository.nextQueued(
        this.options.account,
        pause.currency,
        this.options.chunkSize,
      );
      const needed = next.reduce((sum, item) => sum.plus(item.amount), new Decimal(0));
      const balance = new Decimal(
        await this.call(() => this.deps.gateway.getBalance(pause.currency)),
      );
      if (balance.gte(needed)) {
        await this.resumeQueue(pause.currency, 'system:balance-poll');
        resumed.push(pause.currency);
      }
    }
    return resumed;
  }

  private async recoverInFlight(report: PayoutQueueRunReport): Promise<void> {
    const before = new Date(Date.now() - this.options.recoverSubmittedAfterMs);
    const unanswered = await this.deps.repository.listSubmittedBefore(this.options.account, before);
    for (const item of unanswered) {
      const gatewayStatus = await this.call(() =>
        this.deps.gateway.getStatus(item.clientReferenceId),
      );
      if (gatewayStatus === null) {
        await this.deps.repository.transition([item.id], {
          from: ['submitted'],
          to: 'queued',
          actor: ACTOR,
          reason:
            'no answer was stored and Payoneer never received it: resent under the same client reference id',
        });
        report.requeued++;
      } else {
        await this.tracker.apply(item, gatewayStatus, 'recovery');
        report.reconciled++;
      }
    }
  }

  private async drainQueue(currency: string, report: PayoutQueueRunReport): Promise<void> {
    for (;;) {
      const chunk = await this.deps.repository.nextQueued(
        this.options.account,
        currency,
        this.options.chunkSize,
      );
      if (chunk.length === 0) return;
      const balance = new Decimal(await this.call(() => this.deps.gateway.getBalance(currency)));
      const affordable = affordablePrefix(chunk, balance);
      if (affordable.length === 0) {
        await this.pause(currency, {
          balance: balance.toFixed(2),
          nextItem: chunk[0]?.clientReferenceId,
          nextAmount: chunk[0]?.amount,
        });
        report.paused.push(currency);
        return;
      }
      const claimedIds = await this.deps.repository.transition(
        affordable.map((item) => item.id),
        {
          from: ['queued'],
          to: 'submitted',
          actor: ACTOR,
          reason: `sent in a chunk of ${affordable.length} (${currency} balance ${balance.toFixed(2)})`,
        },
      );
      const claimed = affordable
        .filter((item) => claimedIds.includes(item.id))
        .map((item): PayoutItem => ({ ...item, status: 'submitted' }));
      if (claimed.length === 0) continue;
      if ((await this.submitChunk(currency, claimed, report)) === 'paused') return;
    }
  }

  private async submitChunk(
    currency: string,
    items: PayoutItem[],
    report: PayoutQueueRunReport,
  ): Promise<'sent' | 'paused'> {
    try {
      await this.call(() => this.deps.gateway.submit(items.map(toSubmission)));
    } catch (error) {
      // Anything not handled here propagates with the items left `submitted`: the next run asks
      // Payoneer whether they arrived before resending, so nothing is lost or paid twice.
      if (!(error instanceof PayoutGatewayError)) throw error;
      if (error.failure === 'insufficient_funds') {
        await this.requeue(
          items,
          'Payoneer refused the chunk for insufficient funds; nothing was created',
        );
        await this.pause(currency, { refusedChunk: items.map((item) => item.clientReferenceId) });
        report.paused.push(currency);
        return 'paused';
      }
      if (error.failure === 'duplicate') {
        await this.settleDuplicates(items, error, report);
        return 'sent';
      }
      if (error.failure === 'rejected') {
        await this.settleRejection(items, error, report);
        return 'sent';
      }
      throw error;
    }
    await this.deps.repository.transition(
      items.map((item) => item.id),
      {
        from: ['submitted'],
        to: 'pending',
        actor: ACTOR,
        reason: 'accepted by Payoneer',
        payoneerStatus: 'Pending',
      },
    );
    report.submitted += items.length;
    report.chunks++;
    return 'sent';
  }

  /** Payoneer already has some references (sent by a run that died before storing the answer). */
  private async settleDuplicates(
    items: PayoutItem[],
    error: PayoutGatewayError,
    report: PayoutQueueRunReport,
  ): Promise<void> {
    const known = new Set(error.details.clientReferenceIds ?? []);
    const rest: PayoutItem[] = [];
    for (const item of items) {
      if (!known.has(item.clientReferenceId)) {
        rest.push(item);
        continue;
      }
      const gatewayStatus = await this.call(() =>
        this.deps.gateway.getStatus(item.clientReferenceId),
      );
      if (gatewayStatus === null) {
        // Refused as existing yet unknown by reference: resending would loop; a person decides.
        await this.tracker.toReview(
          item,
          `Payoneer refused ${item.clientReferenceId} as a duplicate but has no such payout`,
          'submission',
        );
        report.inReview++;
      } else {
        await this.tracker.apply(item, gatewayStatus, 'recovery');
        report.reconciled++;
      }
    }
    await this.requeue(rest, 'its chunk was refused because other items already existed; resent');
  }

  /** Payoneer refused the chunk as invalid: the culprits go to review, the others back to the queue. */
  private async settleRejection(
    items: PayoutItem[],
    error: PayoutGatewayError,
    report: PayoutQueueRunReport,
  ): Promise<void> {
    const indexes = new Set(error.details.itemIndexes ?? items.map((_, index) => index));
    for (const [index, item] of items.entries()) {
      if (!indexes.has(index)) continue;
      await this.tracker.toReview(
        item,
        `Payoneer refused the item: ${error.message}`,
        'submission',
      );
      report.inReview++;
    }
    await this.requeue(
      items.filter((_, index) => !indexes.has(index)),
      'its chunk was refused for another item; resent',
    );
  }

  private async requeue(items: PayoutItem[], reason: string): Promise<void> {
    await this.deps.repository.transition(
      items.map((item) => item.id),
      { from: ['submitted'], to: 'queued', actor: ACTOR, reason },
    );
  }

  private async pause(currency: string, details: Record<string, unknown>): Promise<void> {
    const queue = `${this.options.account}/${currency}`;
    const { pause, opened } = await this.deps.repository.pauseQueue(
      this.options.account,
      currency,
      'insufficient_funds',
      details,
    );
    if (!opened) return;
    await this.deps.audit.append({
      actor: ACTOR,
      action: 'payouts.queue.pause',
      subjectType: 'payout_queue',
      subjectId: queue,
      details: { pauseId: pause.id, reason: pause.reason, ...details },
    });
    await this.deps.alerts.raise({
      rule: 'payouts.insufficient_funds',
      severity: 'critical',
      subject: `payout-queue:${queue}`,
      message: `Payout queue ${queue} is paused: the Payoneer ${currency} balance cannot cover the next payouts. Fund it; the queue resumes where it stopped.`,
      details: { team: 'treasury', account: this.options.account, currency, ...details },
    });
  }

  private call<T>(call: () => Promise<T>): Promise<T> {
    return withGatewayRetry(call, this.options.retry, this.sleep);
  }
}

/** The longest FIFO prefix of `items` the balance covers (order is kept: no skipping ahead). */
function affordablePrefix(items: PayoutItem[], balance: Decimal): PayoutItem[] {
  let remaining = balance;
  const prefix: PayoutItem[] = [];
  for (const item of items) {
    if (remaining.lt(item.amount)) break;
    remaining = remaining.minus(item.amount);
    prefix.push(item);
  }
  return prefix;
}

function toSubmission(item: PayoutItem): PayoutSubmission {
  if (item.payeeId === null)
    throw new PayoutStateError(`payout item ${item.clientReferenceId} is queued without a payee`);
  return {
    clientReferenceId: item.clientReferenceId,
    payeeId: item.payeeId,
    amount: new Decimal(item.amount).toFixed(2),
    currency: item.currency,
    description: item.description,
  };
}
