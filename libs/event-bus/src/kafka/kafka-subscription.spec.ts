import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { silentBusLogger } from '../bus-logger';
import type { DeliveredMessage, MessageHandler } from '../event-bus.port';
import { KafkaSubscription, type KafkaSubscriptionSettings } from './kafka-subscription';

// What a fetched batch goes through between kafkajs and the handler: which messages run side by
// side, where the consumer seeks after a rejection and which offset it commits. The real broker
// is exercised by test/event-bus-kafka.e2e-spec.ts; here kafkajs is a stand-in so the order of
// events inside one batch can be driven step by step.

/** The parts of a kafkajs consumer KafkaSubscription uses; `deliver` hands it a fetched batch. */
class FakeConsumer {
  readonly events = {
    GROUP_JOIN: 'consumer.group_join',
    FETCH: 'consumer.fetch',
    CRASH: 'consumer.crash',
  };
  private readonly listeners = new Map<string, Set<(event: unknown) => void>>();
  private eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;

  constructor(private readonly timeline: string[]) {}

  async connect(): Promise<void> {}
  async subscribe(): Promise<void> {}
  async disconnect(): Promise<void> {
    this.timeline.push('disconnect');
  }

  async run(config: { eachBatch: (payload: EachBatchPayload) => Promise<void> }): Promise<void> {
    this.eachBatch = config.eachBatch;
    setImmediate(() => {
      this.emit(this.events.GROUP_JOIN);
      this.emit(this.events.FETCH);
    });
  }

  on(event: string, listener: (event: unknown) => void): () => void {
    const listeners = this.listeners.get(event) ?? new Set();
    listeners.add(listener);
    this.listeners.set(event, listeners);
    return () => listeners.delete(listener);
  }

  seek({ offset }: { topic: string; partition: number; offset: string }): void {
    this.timeline.push(`seek ${offset}`);
  }

  deliver(payload: EachBatchPayload): Promise<void> {
    return this.eachBatch!(payload);
  }

  private emit(event: string): void {
    this.listeners.get(event)?.forEach((listener) => listener({ payload: {} }));
  }
}

/** A fetched batch of `keys` (offsets 0, 1, …; value = key + index among its key), recording what the subscription does with it. */
function fetchedBatch(
  keys: readonly string[],
  timeline: string[],
): EachBatchPayload & { heartbeats: number } {
  const perKey = new Map<string, number>();
  const messages = keys.map((key, offset): KafkaMessage => {
    const index = perKey.get(key) ?? 0;
    perKey.set(key, index + 1);
    return {
      key: Buffer.from(key),
      value: Buffer.from(JSON.stringify(`${key}${index}`)),
      headers: {},
      timestamp: String(Date.now()),
      attributes: 0,
      offset: String(offset),
    };
  });
  const payload = {
    heartbeats: 0,
    batch: {
      topic: 'orders',
      partition: 0,
      highWatermark: String(keys.length),
      messages,
      isEmpty: () => messages.length === 0,
      firstOffset: () => messages[0]?.offset ?? null,
      lastOffset: () => messages.at(-1)?.offset ?? '-1',
      offsetLag: () => '0',
      offsetLagLow: () => '0',
    },
    resolveOffset: (offset: string) => void timeline.push(`resolve ${offset}`),
    heartbeat: async () => {
      payload.heartbeats += 1;
    },
    pause: () => {
      timeline.push('pause');
      return () => undefined;
    },
    commitOffsetsIfNecessary: async (offsets?: {
      topics: { partitions: { offset: string }[] }[];
    }) => void timeline.push(`commit ${offsets?.topics[0]?.partitions[0]?.offset}`),
    uncommittedOffsets: () => ({ topics: [] }),
    isRunning: () => true,
    isStale: () => false,
  };
  return payload;
}

/** A handler whose calls finish when the test says so. */
class SteppedHandler {
  readonly running = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();

  constructor(private readonly timeline: string[]) {}

  readonly handle: MessageHandler = (message: DeliveredMessage) =>
    new Promise<void>((resolve, reject) => {
      const value = message.value as string;
      this.timeline.push(`start ${value}`);
      this.running.set(value, {
        resolve: () => {
          this.timeline.push(`end ${value}`);
          resolve();
        },
        reject,
      });
    });

  async succeed(value: string): Promise<void> {
    this.take(value).resolve();
    await turns(5);
  }

  async fail(value: string): Promise<void> {
    this.take(value).reject(new Error(`${value}: ERP answered 503`));
    await turns(5);
  }

  private take(value: string): { resolve: () => void; reject: (error: Error) => void } {
    const call = this.running.get(value);
    if (call === undefined) throw new Error(`${value} is not running`);
    this.running.delete(value);
    return call;
  }
}

async function startedSubscription(
  timeline: string[],
  overrides: Partial<KafkaSubscriptionSettings>,
): Promise<{ subscription: KafkaSubscription; consumer: FakeConsumer }> {
  const consumer = new FakeConsumer(timeline);
  const subscription = new KafkaSubscription(
    consumer as unknown as Consumer,
    {
      groupId: 'g',
      topics: ['orders'],
      fromBeginning: true,
      handler: async () => undefined,
      beforeCommit: async () => void timeline.push('beforeCommit'),
      redeliveryDelayMs: 10,
      commitIntervalMs: 0,
      readyTimeoutMs: 5_000,
      partitionsConsumedConcurrently: 1,
      keyConcurrency: 1,
      heartbeatIntervalMs: 1_000,
      logger: silentBusLogger,
      ...overrides,
    },
    () => undefined,
  );
  await subscription.start();
  return { subscription, consumer };
}

describe('KafkaSubscription', () => {
  it('with keyConcurrency, runs a batch’s keys side by side and each key in order, then commits after the last', async () => {
    const timeline: string[] = [];
    const handler = new SteppedHandler(timeline);
    const { subscription, consumer } = await startedSubscription(timeline, {
      keyConcurrency: 4,
      handler: handler.handle,
      beforeBatch: async (messages) => void timeline.push(`beforeBatch ${messages.length}`),
    });
    const processing = consumer.deliver(fetchedBatch(['a', 'b', 'a', 'c'], timeline));
    await turns(5);

    expect([...handler.running.keys()]).toEqual(['a0', 'b0', 'c0']);
    await handler.succeed('b0');
    await handler.succeed('a0');
    expect([...handler.running.keys()]).toEqual(['c0', 'a1']);
    await handler.succeed('a1');
    await handler.succeed('c0');
    await processing;
    await subscription.close();

    expect(timeline).toEqual([
      'beforeBatch 4',
      'start a0',
      'start b0',
      'start c0',
      'end b0',
      'end a0',
      'start a1',
      'end a1',
      'end c0',
      'resolve 3',
      'beforeCommit',
      'commit 4',
      'disconnect',
    ]);
  });

  it('returns a batch to kafkajs once its handlers finished; beforeCommit and the commit follow behind the fetch loop', async () => {
    const timeline: string[] = [];
    let recordsWritten: () => void = () => undefined;
    const { subscription, consumer } = await startedSubscription(timeline, {
      keyConcurrency: 2,
      handler: async (message) => void timeline.push(`handled ${String(message.value)}`),
      beforeCommit: () =>
        new Promise<void>((resolve) => {
          timeline.push('beforeCommit');
          recordsWritten = () => {
            timeline.push('records written');
            resolve();
          };
        }),
    });

    await consumer.deliver(fetchedBatch(['a', 'b'], timeline));
    timeline.push('next fetch');
    await turns(5);
    recordsWritten();
    await turns(5);
    await subscription.close();

    expect(timeline).toEqual([
      'handled a0',
      'handled b0',
      'resolve 1',
      'beforeCommit',
      'next fetch',
      'records written',
      'commit 2',
      'disconnect',
    ]);
  });

  it('after a rejection, lets the running handlers finish, then seeks to the first unfinished message and commits only what precedes it', async () => {
    const timeline: string[] = [];
    const handler = new SteppedHandler(timeline);
    const { subscription, consumer } = await startedSubscription(timeline, {
      keyConcurrency: 4,
      handler: handler.handle,
    });
    const processing = consumer.deliver(fetchedBatch(['a', 'b', 'c', 'a', 'd'], timeline));
    await turns(5);
    expect([...handler.running.keys()]).toEqual(['a0', 'b0', 'c0']);

    await handler.fail('b0');
    await handler.succeed('c0');
    expect(timeline.some((entry) => entry.startsWith('seek'))).toBe(false);
    await handler.succeed('a0');
    await processing;
    await subscription.close();

    // a1 waited behind a0 and d0 was never handed out: both come again with b0 and c0.
    expect(timeline).toEqual([
      'start a0',
      'start b0',
      'start c0',
      'end c0',
      'end a0',
      'seek 1',
      'pause',
      'resolve 0',
      'beforeCommit',
      'commit 1',
      'disconnect',
    ]);
  });

  it('commits nothing when the first message of the batch is rejected', async () => {
    const timeline: string[] = [];
    const handler = new SteppedHandler(timeline);
    const { subscription, consumer } = await startedSubscription(timeline, {
      keyConcurrency: 4,
      handler: handler.handle,
    });
    const processing = consumer.deliver(fetchedBatch(['a', 'b'], timeline));
    await turns(5);
    await handler.succeed('b0');
    await handler.fail('a0');
    await processing;
    await subscription.close();

    expect(timeline).toEqual(['start a0', 'start b0', 'end b0', 'seek 0', 'pause', 'disconnect']);
  });

  it('keeps heartbeating while the handlers of a batch run', async () => {
    const timeline: string[] = [];
    const batch = fetchedBatch(['a', 'b'], timeline);
    const { subscription, consumer } = await startedSubscription(timeline, {
      keyConcurrency: 2,
      heartbeatIntervalMs: 1,
      // Each handler outlasts several heartbeat intervals: it finishes once the group heard from the member.
      handler: async () => {
        const seen = batch.heartbeats;
        while (batch.heartbeats < seen + 3) await new Promise((resolve) => setTimeout(resolve, 1));
      },
    });

    await consumer.deliver(batch);
    await subscription.close();

    expect(timeline).toContain('commit 2');
  });

  it('closes only after every handler of the batch in flight finished and its offsets were committed', async () => {
    const timeline: string[] = [];
    const handler = new SteppedHandler(timeline);
    const { subscription, consumer } = await startedSubscription(timeline, {
      keyConcurrency: 4,
      handler: handler.handle,
    });
    const processing = consumer.deliver(fetchedBatch(['a', 'b', 'c'], timeline));
    await turns(5);

    let closed = false;
    const closing = subscription.close().then(() => (closed = true));
    await handler.succeed('a0');
    await handler.succeed('c0');
    expect(closed).toBe(false);
    await handler.succeed('b0');
    await Promise.all([processing, closing]);

    expect(timeline.slice(-3)).toEqual(['beforeCommit', 'commit 3', 'disconnect']);
  });
});

/** Lets `count` rounds of queued callbacks run. */
async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
}
