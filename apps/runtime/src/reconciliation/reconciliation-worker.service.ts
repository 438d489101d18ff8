import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { DeliveredMessage, EventBus, Subscription } from '@switchboard/event-bus';
import {
  type CanonicalOrder,
  type CanonicalPayment,
  ReconciliationInputError,
  ReconciliationService,
} from '@switchboard/reconciliation';
import { RuntimeConfig } from '../config/runtime-config';
import { EVENT_BUS } from '../runtime.tokens';
import { ReconciliationPosting } from './reconciliation-posting.service';
import { RECONCILIATION_GROUP, RECONCILIATION_TOPICS } from './reconciliation-topics';

/**
 * Feeds canonical orders and payments to the reconciliation engine on its own consumer group,
 * at least once: the engine answers a redelivered record from its store (never a second match),
 * and an unfinished posting is finished on the redelivery.
 */
@Injectable()
export class ReconciliationWorker implements OnApplicationShutdown {
  private readonly logger = new Logger(ReconciliationWorker.name);
  private subscription: Subscription | undefined;
  private readonly counts = { orders: 0, payments: 0, rejected: 0 };

  constructor(
    private readonly config: RuntimeConfig,
    private readonly service: ReconciliationService,
    private readonly posting: ReconciliationPosting,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  /** Subscribes when reconciliation is enabled. */
  async start(): Promise<void> {
    if (!this.config.reconciliation.enabled || this.subscription !== undefined) return;
    const topics = [RECONCILIATION_TOPICS.order, RECONCILIATION_TOPICS.payment];
    await this.bus.ensureTopics(topics.map((name) => ({ name })));
    this.subscription = await this.bus.subscribe({
      groupId: RECONCILIATION_GROUP,
      topics,
      fromBeginning: true,
      handler: (message) => this.handle(message),
    });
    this.logger.log(`reconciliation worker started on ${topics.join(', ')}`);
  }

  /** Records handled so far (orders, payments, and records the engine refused as malformed). */
  handled(): { orders: number; payments: number; rejected: number } {
    return { ...this.counts };
  }

  /** Rejects (→ redelivery) only when the store or the alert could not be written. */
  private async handle(message: DeliveredMessage): Promise<void> {
    const isOrder = message.topic === RECONCILIATION_TOPICS.order;
    let decision;
    try {
      decision = isOrder
        ? await this.service.ingestOrder(message.value as CanonicalOrder)
        : await this.service.ingestPayment(message.value as CanonicalPayment);
    } catch (error) {
      if (!(error instanceof ReconciliationInputError)) throw error;
      // A malformed record would fail the same way on every delivery: log it and move on.
      this.counts.rejected += 1;
      this.logger.warn(
        `${message.topic} ${message.partition}@${message.offset} skipped: ${error.message}`,
      );
      return;
    }
    await this.posting.afterDecision(decision);
    if (isOrder) this.counts.orders += 1;
    else this.counts.payments += 1;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
  }
}
