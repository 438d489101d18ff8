/** A message as handed to the bus. `value` is any JSON-serialisable value. */
export interface OutgoingMessage {
  /** Partition key: messages with the same key keep their order. */
  key?: string | null;
  headers?: Record<string, string>;
  value: unknown;
}

/** A message as delivered to a subscriber. */
export interface DeliveredMessage<T = unknown> {
  topic: string;
  partition: number;
  /** Offset within the partition, as a decimal string (Kafka offsets exceed 2^53). */
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  value: T;
  /** Epoch milliseconds when the bus accepted the message. */
  timestamp: number;
}

/**
 * Called once per message. Resolving acknowledges the message (its offset may be committed);
 * rejecting leaves it unacknowledged, so the bus delivers it again (at-least-once).
 */
export type MessageHandler<T = unknown> = (message: DeliveredMessage<T>) => Promise<void>;

export interface SubscribeOptions<T = unknown> {
  /** Consumer group: members of one group share the partitions; each group sees every message. */
  groupId: string;
  topics: string[];
  /** Where a group with no committed offset starts. Default: latest. */
  fromBeginning?: boolean;
  handler: MessageHandler<T>;
  /**
   * Awaited before the transport commits the offsets of handled messages, e.g. to flush buffered
   * execution records so a committed event's effect is always recorded. Kafka: once per commit
   * round, behind the fetch loop (delivery does not wait for it), covering every message handled
   * before the call. Rejecting skips the commit: it is tried again shortly, and messages not yet
   * committed when the member stops or loses the partition come again to the next reader.
   * Transports that keep no offsets (memory) never call it.
   */
  beforeCommit?: () => Promise<void>;
  /**
   * Awaited with the messages about to be handed to `handler` (Kafka: each fetched
   * batch of a partition; memory: the messages waiting in a partition; in slices of up to 200),
   * so a subscriber can do per-message lookups in one go. Only a hint: a rejection is logged and
   * delivery goes on.
   */
  beforeBatch?: (messages: readonly DeliveredMessage[]) => Promise<void>;
  /**
   * Messages of one partition handled at the same time, default 1 (strictly one after another).
   * Above 1, messages with different keys run side by side while each key stays in order: a
   * message starts only after every earlier message with its key finished. Keyless (null-key)
   * messages count as one key among themselves. Messages waiting for their key count against
   * the limit. Offsets still move only over messages that finished with none unfinished before
   * them; after a rejection nothing more starts, the handlers running finish, and the rejected
   * message and everything after it is delivered again — including later messages that had
   * already succeeded, so handlers must be idempotent.
   */
  keyConcurrency?: number;
}

export interface Subscription {
  /** Stops delivery after in-flight handlers finish; unacknowledged messages stay for others. */
  close(): Promise<void>;
}

export interface TopicSpec {
  name: string;
  partitions?: number;
  replicationFactor?: number;
}

export interface TopicInfo {
  name: string;
  partitions: number;
}

/** The bus port: Kafka in production, memory for the demo and fast tests. */
export interface EventBus {
  /** Which transport this is, for health and admin output. */
  readonly transport: 'memory' | 'kafka';
  /** Whether an accepted message survives a process crash. */
  readonly durable: boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Resolves once every message is accepted by the bus (for Kafka: acked by all in-sync replicas). */
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  subscribe<T = unknown>(options: SubscribeOptions<T>): Promise<Subscription>;
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  listTopics(): Promise<TopicInfo[]>;
  /** Resolves when the bus can take writes; rejects with the reason otherwise. */
  checkHealth(): Promise<void>;
}
