import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { decideRetry, type RetryPolicy } from '@switchboard/flow-engine';
import { FxConverter, FxRateMissingError } from '@switchboard/fx';
import { FxRateRepository } from '@switchboard/persistence';
import {
  type JournalEntryPlan,
  type ReconciliationDecision,
  type ReconciliationMatchRecord,
  ReconciliationService,
} from '@switchboard/reconciliation';
import { DataSource } from 'typeorm';
import { AlertService } from '../alerts/alert.service';
import { RuntimeConfig } from '../config/runtime-config';
import { ACTION_INVOKER } from '../runtime.tokens';
import { type ActionInvoker } from '../worker/action-invoker';
import { classifyStepError, FlowStepError } from '../worker/flow-failure';
import { inBooksCurrency } from './books-currency';
import { reviewItemAlert } from './review-alert';

/** A match whose journal entry is to be posted. */
export interface PostableMatch {
  matchId: string;
  /** exact | scored | manual post revenue and mark the orders; adjustment | refund only post. */
  kind: string;
  orderKeys: string[];
  plan: JournalEntryPlan;
}

const REVENUE_KINDS = new Set(['exact', 'scored', 'manual']);
/** How the engine closes a review item that a later Clarity payment or order settled. */
const SETTLED_BY_EVIDENCE = new Set(['rematch-on-link', 'rematch-on-order']);

/**
 * What follows a reconciliation decision: a match's entry goes to the ERP (idempotent by its
 * reference), its Clarity orders become Reconciled, and only then is the match marked posted —
 * so a crash or a lasting failure in between leaves it unposted, and the next delivery, replay or
 * sweep finishes it without posting twice. A new review item raises a finance alert.
 */
@Injectable()
export class ReconciliationPosting {
  private readonly logger = new Logger(ReconciliationPosting.name);
  private readonly fx: FxConverter;

  constructor(
    private readonly config: RuntimeConfig,
    private readonly service: ReconciliationService,
    private readonly alerts: AlertService,
    @Inject(ACTION_INVOKER) private readonly actions: ActionInvoker,
    dataSource: DataSource,
  ) {
    // The rate table $fx uses, so revenue entries and fee entries convert alike.
    this.fx = new FxConverter(new FxRateRepository(dataSource));
  }

  /** Posts a new or unfinished match and alerts on a new review item; replays of finished work do nothing. */
  async afterDecision(decision: ReconciliationDecision): Promise<void> {
    if (decision.status === 'matched' && !decision.posted) {
      await this.post({
        matchId: decision.matchId,
        kind: decision.kind,
        orderKeys: decision.orderKeys,
        plan: decision.plan,
      });
      if (!decision.duplicate) await this.acknowledgeSettledReviews(decision.paymentKeys);
    }
    if (decision.status === 'review' && !decision.duplicate) {
      await this.alerts.raise(
        reviewItemAlert(await this.service.getReviewItem(decision.reviewItemId)),
      );
    }
  }

  /**
   * A payment that went to review only because its Clarity payment or its order came second is
   * matched by the engine once that comes: its alert needs no one any more, so it is acknowledged.
   */
  private async acknowledgeSettledReviews(paymentKeys: string[]): Promise<void> {
    for (const subjectKey of paymentKeys) {
      const resolved = await this.service.listReviewItems(
        { subjectKey, status: 'resolved' },
        { limit: 10 },
      );
      const settled = resolved.items.some((item) =>
        SETTLED_BY_EVIDENCE.has(String(item.resolution?.['action'])),
      );
      if (!settled) continue;
      const open = await this.alerts.list({
        rule: 'reconciliation_mismatch',
        subject: subjectKey,
        acknowledged: false,
      });
      for (const alert of open.items) await this.alerts.acknowledge(alert.id, 'system');
    }
  }

  /** Posts a stored match (e.g. one a sweep found unposted). */
  async postStored(match: ReconciliationMatchRecord): Promise<boolean> {
    return this.post({
      matchId: match.id,
      kind: match.kind,
      orderKeys: match.orderKeys,
      plan: match.plan as unknown as JournalEntryPlan,
    });
  }

  /**
   * Posts the entry, marks the orders, then the match. True when done; false when a step failed
   * for good — then a critical alert names the match, which stays unposted for the sweep to retry.
   */
  async post(match: PostableMatch, actor = 'system'): Promise<boolean> {
    const section = this.config.reconciliation;
    try {
      const plan = await inBooksCurrency(
        match.plan,
        section.booksCurrency,
        this.fx,
        section.accounts.fxDifference,
      );
      const entry = (await this.withRetries(() =>
        this.actions.invoke(section.erpConnector, 'postJournalEntry', plan, {
          idempotencyKey: match.plan.reference,
          correlationId: match.matchId,
        }),
      )) as { name: string };
      if (REVENUE_KINDS.has(match.kind)) {
        for (const orderKey of match.orderKeys) await this.markOrderReconciled(orderKey, match);
      }
      await this.service.markPosted(match.matchId, entry.name, actor);
      return true;
    } catch (error) {
      const failure =
        error instanceof FxRateMissingError
          ? new FlowStepError('transform', 'business', error.message, error.name)
          : classifyStepError('deliver', error);
      this.logger.warn(
        `reconciliation match ${match.matchId} (${match.plan.reference}) not posted: ${failure.failureType} ${failure.message}`,
      );
      await this.alerts.raise({
        rule: 'reconciliation_posting_failed',
        severity: 'critical',
        subject: match.plan.reference,
        message: `journal entry ${match.plan.reference} could not be posted or its orders marked (${failure.failureType}): ${failure.message}`,
        details: {
          team: 'finance',
          matchId: match.matchId,
          reference: match.plan.reference,
          failureType: failure.failureType,
          errorClass: failure.errorClass,
        },
      });
      return false;
    }
  }

  private async markOrderReconciled(orderKey: string, match: PostableMatch): Promise<void> {
    const [source, sourceId] = orderKey.split(':', 2);
    // Only Clarity orders have a status to set; the key's id is Clarity's numeric order ID.
    if (source !== 'clarity' || sourceId === undefined) return;
    const section = this.config.reconciliation;
    await this.withRetries(() =>
      this.actions.invoke(
        section.clarityConnector,
        'updateOrderStatus',
        { orderId: Number(sourceId), statusKey: section.reconciledStatus },
        {
          idempotencyKey: `${match.plan.reference}:status:${sourceId}`,
          correlationId: match.matchId,
        },
      ),
    );
  }

  /** Retried like the shipped flows: transient and rate-limited failures, exponential back-off with full jitter. */
  private async withRetries<T>(attempt: () => Promise<T>): Promise<T> {
    const section = this.config.reconciliation;
    const policy: RetryPolicy = {
      maxAttempts: section.postingMaxAttempts,
      backoff: 'exponential',
      initialMs: section.postingInitialBackoffMs,
      maxMs: section.postingMaxBackoffMs,
      jitter: 'full',
      retryOn: ['transient', 'rate_limited'],
    };
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        const failure = classifyStepError('deliver', error);
        const decision = decideRetry(
          policy,
          {
            failureType: failure.failureType,
            retryAfterMs: failure.retryAfterMs,
            message: failure.message,
          },
          tries,
        );
        if (decision.action !== 'retry') throw failure;
        await sleep(decision.delayMs);
      }
    }
  }
}
