import { type BusLogger, silentBusLogger } from '../bus-logger';
import {
  assertOutgoingMessages,
  assertPositiveInteger,
  assertSubscribeOptions,
  assertTopicName,
} from '../bus-input';
import { EventBusBackpressureError, EventBusInputError, EventBusStateError } from '../event-bus.errors';
import type {
  DeliveredMessage,
  EventBus,
  MessageHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  TopicInfo,
  TopicSpec,
} from '../event-bus.port';
import { PartitionKeyScheduler } from '../partition-key-scheduler';
import { frozenCopy } from './frozen-copy';

export interface MemoryEventBusOptions {
  /** Partitions of a topic created on first use. Default 4. */
  defaultPartitions?: number;
  /** Pause before a rejected message is delivered again. Default 100 ms. */
  redeliveryDelayMs?: number;
  /** Oldest messages beyond this many per partition are dropped, like Kafka's retention. Default 100 000. */
  maxMessagesPerPartition?: number;
  /**
   * Also drop messages once every group that reads the topic has acknowledged them. Nothing
   * outside this process can come back for them, so a long-running process keeps flat memory
   * under sustained load; a group that first subscribes later starts after them. Default false
   * (keep them up to maxMessagesPerPartition, like Kafka's retention).
   */
  dropConsumed?: boolean;
  /**
   * Most messages a partition may hold that some reading group has not acknowledged yet. A
   * publish that would go beyond it is refused whole with EventBusBackpressureError, so a
   * producer faster than its consumers gets told to retry instead of filling the process's
   * memory (which, unlike Kafka's disk, loses everything on a crash). Default: no limit.
   * Partitions nobody reads are bounded by maxMessagesPerPartition only.
   */
  maxBacklogPerPartition?: number;
  logger?: BusLogger;
}

interface MemoryPartition {
  /** Offset of `log[0]`: grows as retention drops old messages. */
  baseOffset: number;
  log: DeliveredMessage[];
}

interface MemoryTopic {
  partitions: MemoryPartition[];
  /** Next partition for a message without a key. */
  roundRobin: number;
}

interface MemoryMember {
  topics: readonly string[];
  handler: MessageHandler;
  beforeBatch: ((messages: readonly DeliveredMessage[]) => Promise<void>) | undefined;
  keyConcurrency: number;
  inFlight: number;
  whenIdle: (() => void)[];
}

/** Where one group stands in one partition. At most one delivery loop per cursor runs at a time. */
interface PartitionCursor {
  groupId: string;
  topic: string;
  partition: number;
  /** First offset not acknowledged; everything before it is (handlers of later ones may run). */
  next: number;
  owner: MemoryMember | undefined;
  /** Messages before this offset were shown to `announcedTo`'s `beforeBatch`. */
  announcedUpTo: number;
  announcedTo: MemoryMember | undefined;
  delivering: boolean;
  /** Set while the delivery loop waits for a new message or a finished handler; calling it goes on. */
  wake: (() => void) | undefined;
  scheduled: boolean;
  redeliveryTimer: NodeJS.Timeout | undefined;
}

interface MemoryGroup {
  id: string;
  members: MemoryMember[];
  cursors: Map<string, PartitionCursor[]>;
}

/** Fewest messages dropped at once: trimming copies the rest of the log. */
const MIN_TRIM = 1024;
/** Waiting messages shown to `beforeBatch` at a time, as a Kafka consumer would fetch them. */
const ANNOUNCED_PER_CALL = 200;
// Deliveries are chained through microtasks; yielding this often keeps timers and I/O alive.
const DELIVERIES_BETWEEN_YIELDS = 256;

/**
 * In-process bus for the one-command demo and fast tests. NOT durable: everything is lost when
 * the process exits. Otherwise it keeps the Kafka contract: partitions by key hash, consumer
 * groups that split partitions among members, offsets per group, at-least-once redelivery on
 * rejection. Delivered values are deep-frozen copies shared by all subscribers.
 */
export class MemoryEventBus implements EventBus {
  readonly transport = 'memory' as const;
  readonly durable = false;

  private readonly defaultPartitions: number;
  private readonly redeliveryDelayMs: number;
  private readonly maxMessagesPerPartition: number;
  private readonly dropConsumed: boolean;
  private readonly maxBacklogPerPartition: number;
  private readonly logger: BusLogger;
  private readonly topics = new Map<string, MemoryTopic>();
  private readonly groups = new Map<string, MemoryGroup>();
  private readonly subscriptions = new Set<Subscription>();
  private connected = false;

  constructor(options: MemoryEventBusOptions = {}) {
    this.defaultPartitions = options.defaultPartitions ?? 4;
    this.redeliveryDelayMs = options.redeliveryDelayMs ?? 100;
    this.maxMessagesPerPartition = options.maxMessagesPerPartition ?? 100_000;
    this.dropConsumed = options.dropConsumed ?? false;
    this.maxBacklogPerPartition = options.maxBacklogPerPartition ?? Number.POSITIVE_INFINITY;
    this.logger = options.logger ?? silentBusLogger;
    if (options.maxBacklogPerPartition !== undefined) {
      assertPositiveInteger(options.maxBacklogPerPartition, 'maxBacklogPerPartition', 'MemoryEventBus options');
    }
    assertPositiveInteger(this.defaultPartitions, 'defaultPartitions', 'MemoryEventBus options');
    assertPositiveInteger(
      this.maxMessagesPerPartition,
      'maxMessagesPerPartition',
      'MemoryEventBus options',
    );
    if (!(this.redeliveryDelayMs >= 0)) {
      throw new EventBusInputError(
        `MemoryEventBus options: redeliveryDelayMs must be >= 0, got ${this.redeliveryDelayMs}`,
      );
    }
  }

  /** Makes the bus usable; calling it again is harmless. */
  async connect(): Promise<void> {
    this.connected = true;
  }

  /** Closes every subscription (waiting for in-flight handlers), then refuses further use. Messages stay in memory. */
  async disconnect(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    for (const group of this.groups.values()) {
      for (const cursor of allCursors(group)) {
        clearTimeout(cursor.redeliveryTimer);
        cursor.redeliveryTimer = undefined;
      }
    }
    this.connected = false;
  }

  /** Appends the messages (deep-frozen copies) to their partitions; subscribers get them right after. */
  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.assertConnected('publish');
    assertOutgoingMessages(topic, messages);
    // Copy everything first so a bad value rejects the whole batch, as Kafka does.
    const copies = messages.map((message, index) => {
      try {
        return {
          key: message.key ?? null,
          headers: Object.freeze({ ...message.headers }),
          value: frozenCopy(message.value),
        };
      } catch (error) {
        throw new EventBusInputError(
          `publish to '${topic}': messages[${index}].value cannot be copied (${(error as Error).message})`,
          { cause: error },
        );
      }
    });
    const stored = this.topicNamed(topic);
    let roundRobin = stored.roundRobin;
    const partitionIndexes = copies.map((copy) =>
      copy.key === null
        ? roundRobin++ % stored.partitions.length
        : partitionForKey(copy.key, stored.partitions.length),
    );
    this.assertRoomFor(topic, stored, partitionIndexes);
    stored.roundRobin = roundRobin;
    const now = Date.now();
    const touched = new Set<number>();
    for (const [index, copy] of copies.entries()) {
      const partitionIndex = partitionIndexes[index]!;
      const partition = stored.partitions[partitionIndex]!;
      partition.log.push(
        Object.freeze({
          topic,
          partition: partitionIndex,
          offset: String(partition.baseOffset + partition.log.length),
          key: copy.key,
          headers: copy.headers,
          value: copy.value,
          timestamp: now,
        }),
      );
      touched.add(partitionIndex);
    }
    for (const partitionIndex of touched) {
      this.applyRetention(topic, partitionIndex, stored.partitions[partitionIndex]!);
      for (const group of this.groups.values()) {
        const cursor = group.cursors.get(topic)?.[partitionIndex];
        if (cursor) this.schedule(cursor);
      }
    }
  }

  /** Joins the consumer group and takes its share of partitions; deliveries start right after. */
  async subscribe<T = unknown>(options: SubscribeOptions<T>): Promise<Subscription> {
    this.assertConnected('subscribe');
    assertSubscribeOptions(options);
    let group = this.groups.get(options.groupId);
    if (!group) {
      group = { id: options.groupId, members: [], cursors: new Map() };
      this.groups.set(group.id, group);
    }
    for (const topic of options.topics) {
      if (group.cursors.has(topic)) continue;
      // A group that has never read a topic starts at its beginning or end; later members resume.
      const partitions = this.topicNamed(topic).partitions;
      group.cursors.set(
        topic,
        partitions.map((partition, index) => ({
          groupId: group.id,
          topic,
          partition: index,
          next: options.fromBeginning
            ? partition.baseOffset
            : partition.baseOffset + partition.log.length,
          owner: undefined,
          announcedUpTo: 0,
          announcedTo: undefined,
          delivering: false,
          wake: undefined,
          scheduled: false,
          redeliveryTimer: undefined,
        })),
      );
    }
    const member: MemoryMember = {
      topics: [...new Set(options.topics)],
      handler: options.handler as MessageHandler,
      beforeBatch: options.beforeBatch,
      keyConcurrency: options.keyConcurrency ?? 1,
      inFlight: 0,
      whenIdle: [],
    };
    group.members.push(member);
    this.rebalance(group);

    let closing: Promise<void> | undefined;
    const subscription: Subscription = {
      close: () => {
        closing ??= this.leave(group, member).finally(() =>
          this.subscriptions.delete(subscription),
        );
        return closing;
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Creates the topics that do not exist yet; existing topics keep their partitions. */
  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    this.assertConnected('ensureTopics');
    topics.forEach((spec, index) => {
      assertTopicName(spec.name, `ensureTopics: topics[${index}].name`);
      if (spec.partitions !== undefined) {
        assertPositiveInteger(
          spec.partitions,
          'partitions',
          `ensureTopics: topics[${index}] ('${spec.name}')`,
        );
      }
    });
    for (const spec of topics) this.topicNamed(spec.name, spec.partitions);
  }

  /** Every topic with its partition count, sorted by name. */
  async listTopics(): Promise<TopicInfo[]> {
    this.assertConnected('listTopics');
    return [...this.topics.entries()]
      .map(([name, topic]) => ({ name, partitions: topic.partitions.length }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Resolves while connected. */
  async checkHealth(): Promise<void> {
    this.assertConnected('checkHealth');
  }

  private assertConnected(operation: string): void {
    if (!this.connected) {
      throw new EventBusStateError(
        `memory bus: ${operation}() needs connect() first (or was called after disconnect())`,
      );
    }
  }

  private topicNamed(name: string, partitions = this.defaultPartitions): MemoryTopic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = {
        partitions: Array.from({ length: partitions }, () => ({ baseOffset: 0, log: [] })),
        roundRobin: 0,
      };
      this.topics.set(name, topic);
    }
    return topic;
  }

  /** Refuses the whole batch when a partition would hold more unacknowledged messages than allowed. */
  private assertRoomFor(topic: string, stored: MemoryTopic, partitionIndexes: readonly number[]): void {
    if (this.maxBacklogPerPartition === Number.POSITIVE_INFINITY) return;
    const adding = new Map<number, number>();
    for (const index of partitionIndexes) adding.set(index, (adding.get(index) ?? 0) + 1);
    for (const [index, count] of adding) {
      const slowest = this.slowestReader(topic, index);
      if (slowest === undefined) continue;
      const partition = stored.partitions[index]!;
      const backlog = partition.baseOffset + partition.log.length - slowest;
      if (backlog + count > this.maxBacklogPerPartition) {
        throw new EventBusBackpressureError(
          `publish to '${topic}': partition ${index} already holds ${backlog} messages its readers have not handled ` +
            `(limit ${this.maxBacklogPerPartition}); nothing was taken, retry once the consumers caught up`,
        );
      }
    }
  }

  private applyRetention(topic: string, index: number, partition: MemoryPartition): void {
    // Trimming in chunks keeps the copy cost per message constant.
    const { length } = partition.log;
    let dropped =
      length >= this.maxMessagesPerPartition * 2 ? length - this.maxMessagesPerPartition : 0;
    if (this.dropConsumed) {
      const consumed =
        (this.slowestReader(topic, index) ?? partition.baseOffset) - partition.baseOffset;
      if (consumed >= Math.max(MIN_TRIM, length / 2)) dropped = Math.max(dropped, consumed);
    }
    if (dropped === 0) return;
    partition.log = partition.log.slice(dropped);
    partition.baseOffset += dropped;
  }

  /** The lowest next offset of the groups reading a partition: everything before it is acknowledged by all. */
  private slowestReader(topic: string, index: number): number | undefined {
    let slowest: number | undefined;
    for (const group of this.groups.values()) {
      const next = group.cursors.get(topic)?.[index]?.next;
      if (next !== undefined && (slowest === undefined || next < slowest)) slowest = next;
    }
    return slowest;
  }

  /** Hands each topic's partitions round-robin to the members that subscribed to it. */
  private rebalance(group: MemoryGroup): void {
    for (const [topic, cursors] of group.cursors) {
      const readers = group.members.filter((member) => member.topics.includes(topic));
      cursors.forEach((cursor, index) => {
        cursor.owner = readers.length === 0 ? undefined : readers[index % readers.length];
        this.schedule(cursor);
      });
    }
  }

  private async leave(group: MemoryGroup, member: MemoryMember): Promise<void> {
    group.members = group.members.filter((other) => other !== member);
    this.rebalance(group);
    if (member.inFlight > 0) await new Promise<void>((resolve) => member.whenIdle.push(resolve));
  }

  /**
   * Shows the owner's `beforeBatch` the messages waiting from offset `from` on, once per slice;
   * resolves true when it did (and so waited), false when there was nothing new to show.
   */
  private async announce(
    cursor: PartitionCursor,
    member: MemoryMember,
    partition: MemoryPartition,
    from: number,
  ): Promise<boolean> {
    if (member.beforeBatch === undefined) return false;
    if (cursor.announcedTo === member && from < cursor.announcedUpTo) return false;
    const start = from - partition.baseOffset;
    const messages = partition.log.slice(start, start + ANNOUNCED_PER_CALL);
    cursor.announcedTo = member;
    cursor.announcedUpTo = from + messages.length;
    try {
      await member.beforeBatch(messages);
    } catch (error) {
      this.logger.warn(
        { groupId: cursor.groupId, topic: cursor.topic, partition: cursor.partition, err: error },
        'beforeBatch failed; the messages are delivered without it',
      );
    }
    return true;
  }

  private schedule(cursor: PartitionCursor): void {
    if (cursor.delivering) {
      cursor.wake?.();
      return;
    }
    if (cursor.scheduled || cursor.redeliveryTimer || !cursor.owner) return;
    cursor.scheduled = true;
    // Deferred so publish() returns before any handler runs, whatever the handler does.
    queueMicrotask(() => void this.deliver(cursor));
  }

  /**
   * Hands the cursor's partition in order to its current owner, through a PartitionKeyScheduler
   * (different keys side by side up to the owner's keyConcurrency), until it is caught up with
   * no handler running, the owner changes or a handler rejects. `next` moves over the messages
   * finished with none unfinished before them; after a rejection, once the running handlers
   * settled, delivery starts again from there after the redelivery delay.
   */
  private async deliver(cursor: PartitionCursor): Promise<void> {
    cursor.scheduled = false;
    const member = cursor.owner;
    if (cursor.delivering || cursor.redeliveryTimer || !member || !this.connected) return;
    cursor.delivering = true;
    const scheduler = new PartitionKeyScheduler<DeliveredMessage>({
      concurrency: member.keyConcurrency,
      run: (message) => this.handOver(member, message),
      onRejected: (message, error) =>
        this.logger.warn(
          {
            groupId: cursor.groupId,
            topic: cursor.topic,
            partition: cursor.partition,
            offset: message.offset,
            err: error,
          },
          'handler rejected a message; it will be delivered again',
        ),
      onSettled: () => {
        const acknowledged = scheduler.lastFinished;
        if (acknowledged !== undefined)
          cursor.next = Math.max(cursor.next, Number(acknowledged.offset) + 1);
        cursor.wake?.();
      },
    });
    let handOut = cursor.next;
    let deliveries = 0;
    try {
      while (cursor.owner === member && this.connected && !scheduler.failed) {
        const partition = this.partitionOf(cursor);
        // Retention dropped messages this group never read: carry on from the oldest kept one.
        if (handOut < partition.baseOffset) handOut = partition.baseOffset;
        const message = partition.log[handOut - partition.baseOffset];
        if (message === undefined && scheduler.idle) break;
        if (message === undefined || !scheduler.hasRoom) {
          await new Promise<void>((resolve) => (cursor.wake = resolve));
          cursor.wake = undefined;
          continue;
        }
        // After a wait the owner may have changed: look again before handing the message over.
        if (await this.announce(cursor, member, partition, handOut)) continue;
        scheduler.submit(message);
        handOut++;
        if (++deliveries % DELIVERIES_BETWEEN_YIELDS === 0)
          await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      await scheduler.settled();
      cursor.delivering = false;
    }
    if (scheduler.failed) {
      cursor.redeliveryTimer = setTimeout(() => {
        cursor.redeliveryTimer = undefined;
        this.schedule(cursor);
      }, this.redeliveryDelayMs);
    } else if (this.hasWaiting(cursor)) {
      // Published while the handlers settled, or the partition has a new owner: go on from `next`.
      this.schedule(cursor);
    }
  }

  /** Runs the member's handler, counting it in flight so the member's close can wait for it. */
  private async handOver(member: MemoryMember, message: DeliveredMessage): Promise<void> {
    member.inFlight++;
    try {
      await member.handler(message);
    } finally {
      member.inFlight--;
      if (member.inFlight === 0) member.whenIdle.splice(0).forEach((resolve) => resolve());
    }
  }

  private partitionOf(cursor: PartitionCursor): MemoryPartition {
    return this.topics.get(cursor.topic)!.partitions[cursor.partition]!;
  }

  /** Whether a message at or after the cursor's `next` is kept. */
  private hasWaiting(cursor: PartitionCursor): boolean {
    const partition = this.partitionOf(cursor);
    return cursor.next < partition.baseOffset + partition.log.length;
  }
}

function* allCursors(group: MemoryGroup): Iterable<PartitionCursor> {
  for (const cursors of group.cursors.values()) yield* cursors;
}

/** FNV-1a over the key's UTF-16 code units: stable, fast, spreads similar keys well. */
function partitionForKey(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
