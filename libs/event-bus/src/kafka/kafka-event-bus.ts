import {
  type Admin,
  Kafka,
  type KafkaConfig,
  logLevel,
  Partitioners,
  type Producer,
} from 'kafkajs';
import { type BusLogger, silentBusLogger } from '../bus-logger';
import {
  assertOutgoingMessages,
  assertPositiveInteger,
  assertSubscribeOptions,
  assertTopicName,
} from '../bus-input';
import {
  EventBusInputError,
  EventBusStateError,
  EventBusUnavailableError,
} from '../event-bus.errors';
import type {
  EventBus,
  MessageHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  TopicInfo,
  TopicSpec,
} from '../event-bus.port';
import { kafkaLogCreator } from './kafka-log-creator';
import { KafkaSubscription } from './kafka-subscription';
import { ProduceCoalescer } from './produce-coalescer';

export interface KafkaEventBusOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  clientId: string;
  /** Partitions of topics this bus creates (ensureTopics without a count, or first use). Default 4. */
  defaultPartitions?: number;
  /** Replicas of topics this bus creates. Default: the broker's `default.replication.factor`. */
  replicationFactor?: number;
  ssl?: KafkaConfig['ssl'];
  sasl?: KafkaConfig['sasl'];
  /** kafkajs retry policy for connecting and for requests (the producer's included). Default: kafkajs's. */
  retry?: KafkaConfig['retry'];
  /** kafkajs log lines go here (never to the console). Default: dropped. */
  logger?: BusLogger;
  /** Least severe kafkajs line passed to the logger. Default 'warn'. */
  kafkaLogLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** TCP connect timeout per broker. Default 3 000 ms. */
  connectionTimeoutMs?: number;
  /** How long `checkHealth()` waits for the cluster to answer. Default 5 000 ms. */
  healthTimeoutMs?: number;
  /** How long `subscribe()` waits for the group to assign partitions. Default 60 000 ms. */
  subscribeTimeoutMs?: number;
  /** Pause before a rejected message is fetched again. Default 200 ms. */
  redeliveryDelayMs?: number;
  /** Partitions one member processes side by side (each in key order). Default 4. */
  partitionsConsumedConcurrently?: number;
  /** Consumer session timeout: a member silent this long loses its partitions. Default 30 000 ms. */
  sessionTimeoutMs?: number;
  /**
   * Longest `publish` waits for the cluster before rejecting with EventBusUnavailableError, so a
   * webhook sender gets a 503 in seconds while the brokers are down. Default 10 000 ms.
   */
  publishTimeoutMs?: number;
  /** Longest a fetch waits for new messages; bounds how quickly an idle consumer notices a stop. Default 500 ms. */
  maxWaitTimeMs?: number;
  /**
   * Least time between two offset-commit rounds of a member (each writes `beforeCommit` and sends
   * one commit request): commits run behind the fetch loop, so this costs no delivery latency,
   * only that much more redelivery after a crash. Default 100 ms; 0 commits as often as batches finish.
   */
  commitIntervalMs?: number;
}

/** Where a consumer group stands on one partition. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** Next offset the group will read; null when the group never committed on this partition. */
  committedOffset: string | null;
  /** Offset the next published message will get. */
  endOffset: string;
  /** Messages between the committed offset (or the oldest kept message) and the end. */
  lag: number;
}

/** Where `resetOffsets` moves a group: first kept message, next new message, or first message at/after a time. */
export type OffsetResetTarget = 'earliest' | 'latest' | { timestamp: number };

const KAFKAJS_LOG_LEVELS = {
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const;

/**
 * The production bus on Kafka (kafkajs). Publishing uses one idempotent producer that waits
 * for all in-sync replicas; every `subscribe` is its own consumer-group member that commits
 * offsets only after the handler resolved (at-least-once). Topics it does not know yet are
 * created on first use with `defaultPartitions`.
 */
export class KafkaEventBus implements EventBus {
  readonly transport = 'kafka' as const;
  readonly durable = true;

  private readonly kafka: Kafka;
  private readonly logger: BusLogger;
  private readonly defaultPartitions: number;
  private readonly replicationFactor: number;
  private readonly healthTimeoutMs: number;
  private readonly subscribeTimeoutMs: number;
  private readonly redeliveryDelayMs: number;
  private readonly partitionsConsumedConcurrently: number;
  private readonly sessionTimeoutMs: number;
  private readonly maxWaitTimeMs: number;
  private readonly commitIntervalMs: number;
  private readonly publishTimeoutMs: number;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private readonly topicsReady = new Map<string, Promise<void>>();
  private clients: { producer: Producer; admin: Admin } | undefined;
  private connecting: Promise<void> | undefined;
  private coalescer: ProduceCoalescer | undefined;
  /** Set while a producer that replaced a refused one connects (see replaceProducer). */
  private producerConnecting: { producer: Producer; done: Promise<void> } | undefined;

  constructor(private readonly options: KafkaEventBusOptions) {
    const where = 'KafkaEventBus options';
    if (!Array.isArray(options.brokers) || options.brokers.length === 0) {
      throw new EventBusInputError(`${where}: brokers must list at least one host:port`);
    }
    options.brokers.forEach((broker, index) => {
      if (typeof broker !== 'string' || !/^[^\s:]+:\d+$/.test(broker)) {
        throw new EventBusInputError(
          `${where}: brokers[${index}] must be host:port, got ${JSON.stringify(broker)}`,
        );
      }
    });
    if (typeof options.clientId !== 'string' || options.clientId === '') {
      throw new EventBusInputError(`${where}: clientId must be a non-empty string`);
    }
    this.defaultPartitions = options.defaultPartitions ?? 4;
    this.replicationFactor = options.replicationFactor ?? -1;
    this.healthTimeoutMs = options.healthTimeoutMs ?? 5_000;
    this.subscribeTimeoutMs = options.subscribeTimeoutMs ?? 60_000;
    this.redeliveryDelayMs = options.redeliveryDelayMs ?? 200;
    this.partitionsConsumedConcurrently = options.partitionsConsumedConcurrently ?? 4;
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 30_000;
    this.maxWaitTimeMs = options.maxWaitTimeMs ?? 500;
    this.commitIntervalMs = options.commitIntervalMs ?? 100;
    if (!Number.isInteger(this.commitIntervalMs) || this.commitIntervalMs < 0) {
      throw new EventBusInputError(
        `${where}: commitIntervalMs must be a whole number of milliseconds >= 0, got ${JSON.stringify(options.commitIntervalMs)}`,
      );
    }
    this.publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
    assertPositiveInteger(this.defaultPartitions, 'defaultPartitions', where);
    assertPositiveInteger(this.publishTimeoutMs, 'publishTimeoutMs', where);
    assertPositiveInteger(
      this.partitionsConsumedConcurrently,
      'partitionsConsumedConcurrently',
      where,
    );
    if (this.replicationFactor !== -1)
      assertPositiveInteger(this.replicationFactor, 'replicationFactor', where);
    this.logger = options.logger ?? silentBusLogger;
    this.kafka = new Kafka({
      brokers: options.brokers,
      clientId: options.clientId,
      ssl: options.ssl,
      sasl: options.sasl,
      retry: options.retry,
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      logLevel: KAFKAJS_LOG_LEVELS[options.kafkaLogLevel ?? 'warn'],
      logCreator: kafkaLogCreator(this.logger),
    });
  }

  /** Connects the producer and the admin client; rejects with EventBusUnavailableError naming the brokers. */
  async connect(): Promise<void> {
    if (this.clients) return;
    this.connecting ??= this.openClients().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Closes every subscription (in-flight handlers finish and commit), then the producer and admin client. */
  async disconnect(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    // Subscriptions first: a handler still running may publish its output through the producer.
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    const clients = this.clients;
    this.clients = undefined;
    this.topicsReady.clear();
    this.producerConnecting = undefined;
    if (clients) await Promise.all([clients.producer.disconnect(), clients.admin.disconnect()]);
  }

  /**
   * Resolves once all in-sync replicas hold the messages; rejects with EventBusUnavailableError
   * after `publishTimeoutMs`. Values are sent as JSON, headers as strings.
   */
  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    const { producer } = this.connected('publish');
    assertOutgoingMessages(topic, messages);
    const records = messages.map((message, index) => ({
      key: message.key ?? null,
      headers: message.headers,
      value: toJson(message.value, `publish to '${topic}': messages[${index}].value`),
    }));
    if (records.length === 0) return;
    try {
      // A timed-out send may still land later: the caller's retry then duplicates it, which
      // idempotent consumers absorb; what must never happen is an accepted message getting lost.
      await withTimeout(
        this.topicsExist([topic])
          .then(() => this.replacementConnected(producer))
          .then(() => this.coalescerFor(producer).send(topic, records)),
        this.publishTimeoutMs,
      );
    } catch (error) {
      // The broker no longer accepts this producer id's sequence numbers (seen after a broker
      // restart): kafkajs does not bump the epoch itself, so start a producer with a fresh id.
      // The refused request was not stored; the caller's retry goes out on the new producer.
      if (isProducerStateError(error)) await this.replaceProducer(producer);
      throw this.unavailable(`publish to '${topic}'`, error);
    }
  }

  private async replaceProducer(stale: Producer): Promise<void> {
    const clients = this.clients;
    if (clients?.producer !== stale) return; // another publish replaced it already
    this.logger.warn(
      { brokers: this.options.brokers },
      `kafka bus: the broker refused the producer's sequence state; starting a new idempotent producer`,
    );
    const fresh = this.newProducer();
    this.clients = { ...clients, producer: fresh };
    this.producerConnecting = undefined;
    await stale.disconnect().catch(() => undefined);
    await this.producerConnected(fresh).catch((error: unknown) => {
      this.logger.warn(
        { error: (error as Error).message },
        'kafka bus: the new producer did not connect yet; the next publish tries again',
      );
    });
  }

  private async replacementConnected(producer: Producer): Promise<void> {
    if (this.producerConnecting !== undefined && producer === this.clients?.producer) {
      await this.producerConnected(producer);
    }
  }

  /** Connects a replacement producer once; a failed attempt is retried by the next publish. */
  private producerConnected(producer: Producer): Promise<void> {
    if (this.producerConnecting?.producer === producer) return this.producerConnecting.done;
    const done = producer.connect().catch((error: unknown) => {
      if (this.producerConnecting?.producer === producer) this.producerConnecting = undefined;
      throw error;
    });
    this.producerConnecting = { producer, done };
    return done;
  }

  /** Starts one consumer-group member; resolves once it has partitions and has fetched once. */
  async subscribe<T = unknown>(options: SubscribeOptions<T>): Promise<Subscription> {
    this.connected('subscribe');
    assertSubscribeOptions(options);
    const topics = [...new Set(options.topics)];
    await this.topicsExist(topics);
    const heartbeatIntervalMs = Math.max(100, Math.floor(this.sessionTimeoutMs / 10));
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: this.sessionTimeoutMs,
      heartbeatInterval: heartbeatIntervalMs,
      maxWaitTimeInMs: this.maxWaitTimeMs,
      allowAutoTopicCreation: false,
    });
    const subscription = new KafkaSubscription(
      consumer,
      {
        groupId: options.groupId,
        topics,
        fromBeginning: options.fromBeginning ?? false,
        handler: options.handler as MessageHandler,
        beforeCommit: options.beforeCommit,
        beforeBatch: options.beforeBatch,
        redeliveryDelayMs: this.redeliveryDelayMs,
        commitIntervalMs: this.commitIntervalMs,
        readyTimeoutMs: this.subscribeTimeoutMs,
        partitionsConsumedConcurrently: this.partitionsConsumedConcurrently,
        keyConcurrency: options.keyConcurrency ?? 1,
        heartbeatIntervalMs,
        logger: this.logger,
      },
      (closed) => this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    try {
      await subscription.start();
    } catch (error) {
      this.subscriptions.delete(subscription);
      throw error;
    }
    return subscription;
  }

  /** Creates missing topics (waiting for their leaders); topics that exist keep their partitions. */
  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    const { admin } = this.connected('ensureTopics');
    topics.forEach((spec, index) => {
      const where = `ensureTopics: topics[${index}]`;
      assertTopicName(spec.name, `${where}.name`);
      if (spec.partitions !== undefined)
        assertPositiveInteger(spec.partitions, 'partitions', `${where} ('${spec.name}')`);
      if (spec.replicationFactor !== undefined) {
        assertPositiveInteger(
          spec.replicationFactor,
          'replicationFactor',
          `${where} ('${spec.name}')`,
        );
      }
    });
    if (topics.length === 0) return;
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: topics.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions ?? this.defaultPartitions,
          replicationFactor: spec.replicationFactor ?? this.replicationFactor,
        })),
      });
    } catch (error) {
      throw this.unavailable(`ensureTopics(${topics.map((spec) => spec.name).join(', ')})`, error);
    }
    for (const spec of topics) this.topicsReady.set(spec.name, Promise.resolve());
  }

  /** Every topic but Kafka's internal ones (`__…`), with its partition count, sorted by name. */
  async listTopics(): Promise<TopicInfo[]> {
    const { admin } = this.connected('listTopics');
    try {
      const { topics } = await admin.fetchTopicMetadata();
      return topics
        .filter((topic) => !topic.name.startsWith('__'))
        .map((topic) => ({ name: topic.name, partitions: topic.partitions.length }))
        .sort((a, b) => a.name.localeCompare(b.name));
    } catch (error) {
      throw this.unavailable('listTopics', error);
    }
  }

  /** Resolves when the cluster answers a metadata request in time and no subscription has died. */
  async checkHealth(): Promise<void> {
    const { admin } = this.connected('checkHealth');
    const crashed = [...this.subscriptions].filter((subscription) => subscription.crashed);
    if (crashed.length > 0) {
      throw new EventBusUnavailableError(
        `kafka bus: consumer of group ${crashed.map((subscription) => `'${subscription.groupId}'`).join(', ')} ` +
          `stopped: ${crashed[0]!.crashed!.message}`,
      );
    }
    const cluster = await withTimeout(admin.describeCluster(), this.healthTimeoutMs).catch(
      (error: unknown) => {
        throw this.unavailable('checkHealth', error);
      },
    );
    if (cluster.brokers.length === 0) {
      throw new EventBusUnavailableError(
        `kafka bus: cluster at ${this.options.brokers.join(',')} reports no brokers`,
      );
    }
  }

  /** Committed offset, end offset and lag of a consumer group on every partition of the given topics. */
  async consumerGroupLag(groupId: string, topics: string[]): Promise<PartitionLag[]> {
    const { admin } = this.connected('consumerGroupLag');
    topics.forEach((topic, index) => assertTopicName(topic, `consumerGroupLag: topics[${index}]`));
    try {
      const committed = await admin.fetchOffsets({ groupId, topics });
      const lags: PartitionLag[] = [];
      for (const { topic, partitions } of committed) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const end of ends) {
          const offset =
            partitions.find((entry) => entry.partition === end.partition)?.offset ?? '-1';
          const from = offset === '-1' ? BigInt(end.low) : BigInt(offset);
          const lag = BigInt(end.high) - from;
          lags.push({
            topic,
            partition: end.partition,
            committedOffset: offset === '-1' ? null : offset,
            endOffset: end.high,
            lag: Number(lag > 0n ? lag : 0n),
          });
        }
      }
      return lags.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    } catch (error) {
      throw this.unavailable(`consumerGroupLag('${groupId}')`, error);
    }
  }

  /**
   * Moves a consumer group's committed offsets on one topic and returns them. Kafka only allows
   * it while the group has no running members: rejects with EventBusStateError otherwise.
   */
  async resetOffsets(
    groupId: string,
    topic: string,
    to: OffsetResetTarget,
  ): Promise<{ partition: number; offset: string }[]> {
    const { admin } = this.connected('resetOffsets');
    assertTopicName(topic, 'resetOffsets');
    const where = `resetOffsets('${groupId}', '${topic}')`;
    if (typeof to === 'object' && !Number.isFinite(to.timestamp)) {
      throw new EventBusInputError(
        `${where}: timestamp must be epoch milliseconds, got ${String(to.timestamp)}`,
      );
    }
    const { groups } = await admin.describeGroups([groupId]).catch((error: unknown) => {
      throw this.unavailable(where, error);
    });
    const state = groups[0]?.state ?? 'Dead';
    if (!['Empty', 'Dead'].includes(state)) {
      throw new EventBusStateError(
        `${where}: the group still has running members (state ${state}); close them first`,
      );
    }
    try {
      const partitions =
        typeof to === 'object'
          ? await admin.fetchTopicOffsetsByTimestamp(topic, to.timestamp)
          : (await admin.fetchTopicOffsets(topic)).map((entry) => ({
              partition: entry.partition,
              offset: to === 'earliest' ? entry.low : entry.high,
            }));
      await admin.setOffsets({ groupId, topic, partitions });
      return partitions
        .map(({ partition, offset }) => ({ partition, offset }))
        .sort((a, b) => a.partition - b.partition);
    } catch (error) {
      throw this.unavailable(where, error);
    }
  }

  private async openClients(): Promise<void> {
    const producer = this.newProducer();
    const admin = this.kafka.admin();
    try {
      await Promise.all([producer.connect(), admin.connect()]);
    } catch (error) {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
      throw this.unavailable('connect', error);
    }
    this.clients = { producer, admin };
  }

  private newProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      // kafkajs keeps idempotent ordering only with one request in flight per broker.
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
  }

  /** Concurrent publishes share produce requests; a new producer (after reconnecting) gets a new coalescer. */
  private coalescerFor(producer: Producer): ProduceCoalescer {
    if (this.coalescer?.producer !== producer) this.coalescer = new ProduceCoalescer(producer);
    return this.coalescer;
  }

  private connected(operation: string): { producer: Producer; admin: Admin } {
    if (!this.clients) {
      throw new EventBusStateError(
        `kafka bus: ${operation}() needs connect() first (or was called after disconnect())`,
      );
    }
    return this.clients;
  }

  /** Creates, once per process, topics this bus has not seen yet, so first use gets `defaultPartitions`. */
  private async topicsExist(topics: string[]): Promise<void> {
    const missing = topics.filter((topic) => !this.topicsReady.has(topic));
    if (missing.length > 0) {
      const creating = this.ensureTopics(missing.map((name) => ({ name })));
      for (const topic of missing) {
        this.topicsReady.set(
          topic,
          creating.catch((error: unknown) => {
            this.topicsReady.delete(topic);
            throw error;
          }),
        );
      }
    }
    const creations = topics.map((topic) => this.topicsReady.get(topic));
    await Promise.all(
      creations.filter((creation): creation is Promise<void> => creation !== undefined),
    );
  }

  private unavailable(operation: string, error: unknown): EventBusUnavailableError {
    if (error instanceof EventBusUnavailableError || error instanceof EventBusStateError)
      return error;
    return new EventBusUnavailableError(
      `kafka bus at ${this.options.brokers.join(',')}: ${operation} failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'DUPLICATE_SEQUENCE_NUMBER',
]);

/** True when kafkajs's error (or one it wraps as `cause`/`originalError`) is a producer-state refusal. */
export function isProducerStateError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const { type, cause, originalError } = current as Error & {
      type?: unknown;
      originalError?: unknown;
    };
    if (typeof type === 'string' && PRODUCER_STATE_ERRORS.has(type)) return true;
    current = originalError ?? cause;
  }
  return false;
}

function toJson(value: unknown, where: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new EventBusInputError(`${where} cannot be sent as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (json === undefined)
    throw new EventBusInputError(`${where} cannot be sent as JSON (${typeof value})`);
  return json;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
