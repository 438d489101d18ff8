import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { DeliveredMessage, EventBus, Subscription } from '@switchboard/event-bus';
import { type FeeDayTotal, type FeeRecord, FeeRepository } from '@switchboard/persistence';
import { SchemaRegistry, type SchemaValidator } from '@switchboard/schema-registry';
import type { FeeFeed } from '../dashboard/dashboard-feeds';
import { EVENT_BUS } from '../runtime.tokens';

/** Where canonical fees travel, and the consumer group of the ledger that keeps them. */
export const FEE_TOPIC = 'canonical.fee.v1';
export const FEE_LEDGER_GROUP = 'sb.fee-ledger';
const FEE_SCHEMA = 'canonical.fee@1';
const DAY_MS = 86_400_000;

interface CanonicalFee {
  id: { source: string; sourceId: string };
  sourceRecord: { type: string; source: string; sourceId: string };
  kind?: string;
  amount: { amount: string; currency: string };
  description?: string;
  occurredAt: string;
}

/**
 * Fee tracking: every fee on canonical.fee.v1 (Payoneer fees on received payments, payouts,
 * charges) goes into the fee ledger once, whatever produced it, so finance sees fees per day and
 * currency. A redelivered fee is absorbed by its id; a fee that does not match canonical.fee@1 is
 * logged with its offset and skipped (the producers validate before publishing, so it means a
 * foreign producer on the topic).
 */
@Injectable()
export class FeeLedgerService implements OnApplicationShutdown, FeeFeed {
  private readonly logger = new Logger(FeeLedgerService.name);
  private readonly validator: SchemaValidator;
  private subscription: Subscription | undefined;

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly fees: FeeRepository,
    schemas: SchemaRegistry,
  ) {
    this.validator = schemas.validator(FEE_SCHEMA);
  }

  /** Joins its consumer group; the runtime starts it with the other workers. */
  async start(): Promise<void> {
    if (this.subscription !== undefined) return;
    await this.bus.ensureTopics([{ name: FEE_TOPIC }]);
    this.subscription = await this.bus.subscribe({
      groupId: FEE_LEDGER_GROUP,
      topics: [FEE_TOPIC],
      fromBeginning: true,
      handler: (message) => this.record(message),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
  }

  /** Fees per UTC day and currency over the last `days` days (today included). */
  async byDay(days: number): Promise<Array<{ day: string; currency: string; amount: string }>> {
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    return this.totals({ from: new Date(today - (days - 1) * DAY_MS) });
  }

  totals(filter: { from?: Date; to?: Date; currency?: string }): Promise<FeeDayTotal[]> {
    return this.fees.totalsByDay(filter);
  }

  private async record(message: DeliveredMessage): Promise<void> {
    const result = this.validator(message.value);
    if (!result.valid) {
      const problems = result.issues
        .map((issue) => `${issue.path || '/'}: ${issue.message}`)
        .join('; ');
      this.logger.error(
        `${FEE_TOPIC} ${message.partition}/${message.offset} is not ${FEE_SCHEMA}, not recorded: ${problems}`,
      );
      return;
    }
    await this.fees.record([toFeeRecord(message.value as CanonicalFee)]);
  }
}

function toFeeRecord(fee: CanonicalFee): FeeRecord {
  return {
    source: fee.id.source,
    sourceId: fee.id.sourceId,
    record: fee.sourceRecord,
    kind: fee.kind,
    amount: fee.amount.amount,
    currency: fee.amount.currency,
    description: fee.description,
    occurredAt: new Date(fee.occurredAt),
  };
}
