import { Logger } from '@nestjs/common';
import { type EventBus } from '@switchboard/event-bus';
import {
  type FlowCursorRepository,
  type PayoutItem,
  type PayoutItemStatus,
  type PayoutItemTransition,
  type PayoutRepository,
} from '@switchboard/persistence';
import { type SchemaRegistry } from '@switchboard/schema-registry';
import { HEADER } from '../worker/envelope';

const CANONICAL_PAYOUT_SCHEMA = 'canonical.payout@1';
/** Where the publisher keeps the last transition it published (a row in flow_cursors). */
export const STATUS_OUTBOX_CURSOR = 'payouts:status-outbox';
/** Statuses Clarity hears about: the item will not change any more. */
const FINAL: readonly PayoutItemStatus[] = ['paid', 'failed', 'cancelled'];
/** Only payables read from Clarity can be marked there (canonical-payout-to-clarity reads this form). */
const CLARITY_REFERENCE = /^clarity-commission-[0-9]+$/;
/** How long a run waits for transactions still writing transitions before leaving it to the next run. */
const LOCK_TIMEOUT_MS = 2_000;
const PAGE = 200;

/**
 * The way back to Clarity: reads final item transitions from the transition log (an outbox, with
 * its position in `flow_cursors`) and publishes each as a canonical.payout@1 event, which the
 * canonical-payout-to-clarity flow turns into a commission status update. The cursor moves only
 * after the bus took the events, so a crash republishes (same event id: downstream dedupes) and
 * never loses a status.
 */
export class PayoutStatusPublisher {
  private readonly logger = new Logger(PayoutStatusPublisher.name);

  constructor(
    private readonly repository: PayoutRepository,
    private readonly cursors: FlowCursorRepository,
    private readonly bus: EventBus,
    private readonly schemas: SchemaRegistry,
    private readonly topic: string,
  ) {}

  /** Publishes what changed since the last run; returns how many events went out. */
  async publishPending(): Promise<number> {
    // Only up to a point below which every transition is committed: ids are taken at insert, so a
    // lower one can commit after a higher one, and a cursor past it would skip it for good.
    const upToId = await this.repository.committedTransitionsHighWatermark(LOCK_TIMEOUT_MS);
    if (upToId === null) return 0;
    let published = 0;
    for (;;) {
      const stored = (await this.cursors.get(STATUS_OUTBOX_CURSOR)) as
        { afterId?: string } | undefined;
      const afterId = stored?.afterId ?? '0';
      const changes = await this.repository.listTransitionsBetween(afterId, upToId, FINAL, PAGE);
      const messages = changes
        .filter(({ item }) => CLARITY_REFERENCE.test(item.businessReference))
        .flatMap(({ transition, item }) => this.toMessage(transition, item));
      if (messages.length > 0) await this.bus.publish(this.topic, messages);
      published += messages.length;
      // A short page read everything up to the watermark: the cursor may move to it.
      const reached =
        changes.length < PAGE ? upToId : (changes[changes.length - 1]?.transition.id ?? afterId);
      if (BigInt(reached) > BigInt(afterId))
        await this.cursors.set(STATUS_OUTBOX_CURSOR, { afterId: reached });
      if (changes.length < PAGE) return published;
    }
  }

  private toMessage(transition: PayoutItemTransition, item: PayoutItem) {
    const payout = canonicalPayout(transition, item);
    const result = this.schemas.validator(CANONICAL_PAYOUT_SCHEMA)(payout);
    if (!result.valid) {
      // Publishing it would fail every consumer; the item's own state is stored, so skip loudly.
      this.logger.error(
        `payout ${item.clientReferenceId}: not a valid ${CANONICAL_PAYOUT_SCHEMA}: ${result.issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`,
      );
      return [];
    }
    return [
      {
        key: item.businessReference,
        value: payout,
        headers: {
          [HEADER.eventId]: `payouts:${item.id}:${transition.id}`,
          [HEADER.correlationId]: `payout:${item.clientReferenceId}`,
          [HEADER.sourceFlow]: 'payouts@1',
        },
      },
    ];
  }
}

/** An item at one of its transitions, as a canonical payout. */
export function canonicalPayout(
  transition: PayoutItemTransition,
  item: PayoutItem,
): Record<string, unknown> {
  const payoneer = (transition.details['payoneer'] ?? {}) as {
    reasonCode?: number;
    reasonDescription?: string;
  };
  const at = new Date(transition.at).toISOString();
  return {
    ...(item.payoneerPayoutId === null
      ? {}
      : { id: { source: 'payoneer', sourceId: item.payoneerPayoutId } }),
    reference: item.businessReference,
    clientReferenceId: item.clientReferenceId,
    attempt: item.attempt,
    batchId: item.batchId,
    payee: {
      id: { source: 'clarity', sourceId: item.partyReference },
      ...(item.payeeId === null ? {} : { payeeId: item.payeeId }),
    },
    amount: { amount: canonicalAmount(item.amount), currency: item.currency },
    description: item.description.slice(0, 200),
    status: transition.toStatus,
    ...(item.payoneerStatus === null ? {} : { sourceStatus: item.payoneerStatus }),
    ...(payoneer.reasonCode === undefined
      ? {}
      : {
          reason: {
            code: String(payoneer.reasonCode),
            ...(payoneer.reasonDescription
              ? { description: payoneer.reasonDescription.slice(0, 500) }
              : {}),
          },
        }),
    createdAt: new Date(item.createdAt).toISOString(),
    ...(item.submittedAt === null ? {} : { submittedAt: new Date(item.submittedAt).toISOString() }),
    ...(transition.toStatus === 'paid' ? { paidAt: at } : {}),
    updatedAt: at,
  };
}

/** "0012.50" / "12.5" from numeric → the canonical decimal form (no leading zeros, at most 4 places). */
function canonicalAmount(amount: string): string {
  const [whole = '0', fraction] = amount.split('.');
  const digits = whole.replace(/^0+(?=\d)/, '');
  return fraction === undefined || fraction === '' ? digits : `${digits}.${fraction.slice(0, 4)}`;
}
