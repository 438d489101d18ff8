import type { Consumer, EachBatchPayload, IHeaders, KafkaMessage } from 'kafkajs';
import type { BusLogger } from '../bus-logger';
import { EventBusUnavailableError } from '../event-bus.errors';
import type { DeliveredMessage, MessageHandler, Subscription } from '../event-bus.port';
import { PartitionKeyScheduler } from '../partition-key-scheduler';
import { OffsetCommitter } from './offset-committer';

/** Messages shown to `beforeBatch` at a time: a big fetched batch is shown in slices as it is handled. */
const ANNOUNCED_PER_CALL = 200;

export interface KafkaSubscriptionSettings {
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  handler: MessageHandler;
  beforeCommit?: () => Promise<void>;
  beforeBatch?: (messages: readonly DeliveredMessage[]) => Promise<void>;
  redeliveryDelayMs: number;
  /** Least time between two commit rounds (see OffsetCommitter). */
  commitIntervalMs: number;
  readyTimeoutMs: number;
  partitionsConsumedConcurrently: number;
  /** Messages of one partition handled at the same time (different keys; see SubscribeOptions). */
  keyConcurrency: number;
  /** How often a member whose handler is still running tells the group it is alive. */
  heartbeatIntervalMs: number;
  logger: BusLogger;
}

/**
 * One consumer-group member backed by its own kafkajs consumer. A fetched batch's messages run
 * through a PartitionKeyScheduler (one at a time, or different keys side by side with
 * `keyConcurrency` > 1). A batch hands the offsets of the messages that finished with none
 * unfinished before them to an OffsetCommitter and returns, so the next fetch does not wait for
 * the commit; the committer commits them once `beforeCommit` settled. A rejection stops that
 * partition's batch: once its running handlers settled, it seeks back to the first message that
 * did not finish and pauses the partition briefly, so that message comes again and nothing
 * behind it on its key overtakes it.
 */
export class KafkaSubscription implements Subscription {
  private closing: Promise<void> | undefined;
  private stopping = false;
  private crashError: Error | undefined;
  private batchesInFlight = 0;
  private readonly whenNoBatches: (() => void)[] = [];
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private readonly committer: OffsetCommitter;

  constructor(
    private readonly consumer: Consumer,
    private readonly settings: KafkaSubscriptionSettings,
    private readonly onClosed: (subscription: KafkaSubscription) => void,
  ) {
    this.committer = new OffsetCommitter({
      groupId: settings.groupId,
      beforeCommit: settings.beforeCommit,
      retryDelayMs: settings.redeliveryDelayMs,
      commitIntervalMs: settings.commitIntervalMs,
      logger: settings.logger,
    });
  }

  /** The consumer group this member belongs to. */
  get groupId(): string {
    return this.settings.groupId;
  }

  /** Why the consumer stopped for good, if kafkajs gave up restarting it. */
  get crashed(): Error | undefined {
    return this.crashError;
  }

  /** Joins the group and resolves after the first fetch, so offsets are fixed before the caller publishes. */
  async start(): Promise<void> {
    const { groupId, topics, fromBeginning } = this.settings;
    const firstFetch = this.firstFetchAfterJoin();
    // After a rebalance, offsets of partitions that went to another member are not committed from here.
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) =>
      this.committer.keepOnly(event.payload.memberAssignment),
    );
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics, fromBeginning });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.settings.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.processBatch(payload),
      });
      await firstFetch.ready;
      this.watchForCrash();
    } catch (error) {
      firstFetch.abandon();
      await this.consumer
        .disconnect()
        .catch((disconnectError: unknown) =>
          this.settings.logger.warn(
            { groupId, err: disconnectError },
            'consumer disconnect after a failed start failed',
          ),
        );
      throw new EventBusUnavailableError(
        `subscribe(groupId '${groupId}', topics ${topics.join(', ')}) failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** Stops fetching, lets the handlers in flight finish and commits their offsets, then leaves the group. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.stopping = true;
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    if (this.batchesInFlight > 0)
      await new Promise<void>((resolve) => this.whenNoBatches.push(resolve));
    await this.committer.close();
    try {
      await this.consumer.disconnect();
    } finally {
      this.onClosed(this);
    }
  }

  /** Settles on the first fetch after the group join; `abandon` stops waiting (quietly) when start fails. */
  private firstFetchAfterJoin(): { ready: Promise<void>; abandon: () => void } {
    const { consumer, settings } = this;
    let finish: (error?: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      let joined = false;
      const listeners = [
        consumer.on(consumer.events.GROUP_JOIN, () => {
          joined = true;
        }),
        consumer.on(consumer.events.FETCH, () => {
          if (joined) finish();
        }),
        consumer.on(consumer.events.CRASH, (event) => {
          if (!event.payload.restart) finish(event.payload.error);
        }),
      ];
      const timer = setTimeout(
        () =>
          finish(
            new Error(`the group did not assign partitions within ${settings.readyTimeoutMs} ms`),
          ),
        settings.readyTimeoutMs,
      );
      let settled = false;
      finish = (error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        listeners.forEach((removeListener) => removeListener());
        if (error) reject(error);
        else resolve();
      };
    });
    // Whoever awaits `ready` sees its rejection; this keeps an abandoned wait from being unhandled.
    ready.catch(() => undefined);
    return { ready, abandon: () => finish() };
  }

  private watchForCrash(): void {
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      this.settings.logger.error(
        { groupId: this.settings.groupId, err: error, restart },
        restart
          ? 'consumer crashed; kafkajs restarts it'
          : 'consumer crashed for good; no more deliveries',
      );
      if (!restart) this.crashError = error;
    });
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    this.batchesInFlight++;
    try {
      const delivered = batch.messages.map((message) => toDelivered(topic, partition, message));
      const scheduler = new PartitionKeyScheduler<DeliveredMessage>({
        concurrency: this.settings.keyConcurrency,
        run: this.settings.handler,
        onRejected: (message, error) =>
          this.settings.logger.warn(
            {
              groupId: this.settings.groupId,
              topic,
              partition,
              offset: message.offset,
              err: error,
            },
            'handler rejected a message; it will be delivered again',
          ),
      });
      await this.whileBeating(payload, async () => {
        try {
          for (const [index, message] of delivered.entries()) {
            const room = await scheduler.room();
            if (!room || this.stopping || !payload.isRunning() || payload.isStale()) break;
            if (index % ANNOUNCED_PER_CALL === 0) {
              await this.announceBatch(
                topic,
                partition,
                delivered.slice(index, index + ANNOUNCED_PER_CALL),
              );
            }
            scheduler.submit(message);
            await payload.heartbeat();
          }
        } finally {
          // Neither a seek nor a commit may overtake a handler still running.
          await scheduler.settled();
        }
      });
      const handled = scheduler.finishedCount;
      if (scheduler.failed && !this.stopping) {
        const firstUnfinished = delivered[handled]!.offset;
        this.redeliverLater(topic, partition, firstUnfinished, () => payload.pause());
      }
      if (handled === 0) return;
      const acknowledgedUpTo = delivered[handled - 1]!.offset;
      payload.resolveOffset(acknowledgedUpTo);
      // Committed behind the fetch loop, once the caller's records of these effects are durable.
      this.committer.handled(payload, (BigInt(acknowledgedUpTo) + 1n).toString());
    } finally {
      this.batchesInFlight--;
      if (this.batchesInFlight === 0) this.whenNoBatches.splice(0).forEach((resolve) => resolve());
    }
  }

  /** Shows the batch to `beforeBatch`, a hint only: its failure is logged and delivery goes on. */
  private async announceBatch(
    topic: string,
    partition: number,
    messages: readonly DeliveredMessage[],
  ): Promise<void> {
    if (this.settings.beforeBatch === undefined || messages.length === 0) return;
    try {
      await this.settings.beforeBatch(messages);
    } catch (error) {
      this.settings.logger.warn(
        { groupId: this.settings.groupId, topic, partition, err: error },
        'beforeBatch failed; the messages are delivered without it',
      );
    }
  }

  /** Heartbeats while a batch's handlers run: a slow effect or a delayed retry must not cost the member its partitions. */
  private async whileBeating(payload: EachBatchPayload, work: () => Promise<void>): Promise<void> {
    const timer = setInterval(() => {
      payload.heartbeat().catch((error: unknown) =>
        this.settings.logger.warn(
          {
            groupId: this.settings.groupId,
            topic: payload.batch.topic,
            partition: payload.batch.partition,
            err: error,
          },
          'heartbeat during a running handler failed; the group may move this partition',
        ),
      );
    }, this.settings.heartbeatIntervalMs);
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
  }

  private redeliverLater(
    topic: string,
    partition: number,
    offset: string,
    pause: () => () => void,
  ): void {
    this.consumer.seek({ topic, partition, offset });
    const resume = pause();
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      resume();
    }, this.settings.redeliveryDelayMs);
    this.resumeTimers.add(timer);
  }
}

function toDelivered(topic: string, partition: number, message: KafkaMessage): DeliveredMessage {
  const raw = message.value?.toString('utf8');
  let value: unknown;
  try {
    value = raw === undefined ? null : JSON.parse(raw);
  } catch (error) {
    // Treated as a handler rejection by the caller: the partition stops here and the logs say why.
    throw new Error(
      `message at ${topic}/${partition}@${message.offset} is not JSON: ${(error as Error).message}`,
    );
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    headers: headerStrings(message.headers),
    value,
    timestamp: Number(message.timestamp),
  };
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    // Kafka allows a header name to repeat; the port has one value per name, so the last wins.
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) strings[name] = last.toString();
  }
  return strings;
}
