import { describeEventBusContract } from '../contract/event-bus.contract';
import type { DeliveredMessage } from '../event-bus.port';
import { EventBusBackpressureError } from '../event-bus.errors';
import { MemoryEventBus } from './memory-event-bus';

describeEventBusContract('memory', async () => new MemoryEventBus({ redeliveryDelayMs: 10 }));

describe('MemoryEventBus', () => {
  let bus: MemoryEventBus;

  beforeEach(async () => {
    bus = new MemoryEventBus();
    await bus.connect();
  });

  afterEach(async () => {
    await bus.disconnect();
  });

  async function firstDelivery<T>(topic: string, groupId: string): Promise<DeliveredMessage<T>> {
    return new Promise((resolve) => {
      void bus.subscribe<T>({
        groupId,
        topics: [topic],
        fromBeginning: true,
        handler: async (message) => resolve(message),
      });
    });
  }

  it('says it is not durable', () => {
    expect(bus.durable).toBe(false);
    expect(bus.transport).toBe('memory');
  });

  it('keeps a published value safe from the publisher and from other subscribers', async () => {
    const order = { orderId: 'SO-7', lines: [{ sku: 'A', quantity: 1 }] };
    await bus.publish('orders', [{ key: 'SO-7', value: order }]);
    order.lines[0]!.quantity = 99;

    const delivered = await firstDelivery<typeof order>('orders', 'ledger');
    expect(() => {
      delivered.value.lines[0]!.quantity = 5;
    }).toThrow(TypeError);
    const other = await firstDelivery<typeof order>('orders', 'notifier');
    expect(other.value.lines[0]!.quantity).toBe(1);
  });

  it('shows the waiting messages of a partition to beforeBatch before the handler gets them, and delivers on when it fails', async () => {
    await bus.ensureTopics([{ name: 'announced', partitions: 1 }]);
    await bus.publish(
      'announced',
      Array.from({ length: 450 }, (_, index) => ({ key: 'same', value: index })),
    );
    const slices: number[][] = [];
    const handled: number[] = [];
    let unannounced = 0;
    await new Promise<void>((resolve) => {
      void bus.subscribe<number>({
        groupId: 'announced-group',
        topics: ['announced'],
        fromBeginning: true,
        beforeBatch: async (messages) => {
          slices.push(messages.map((message) => message.value as number));
          // A failing hint must not stop delivery.
          if (slices.length === 2) throw new Error('lookup failed');
        },
        handler: async (message) => {
          if (!slices.some((slice) => slice.includes(message.value))) unannounced += 1;
          handled.push(message.value);
          if (handled.length === 450) resolve();
        },
      });
    });
    expect(handled).toEqual(Array.from({ length: 450 }, (_, index) => index));
    expect(unannounced).toBe(0);
    expect(slices.map((slice) => slice.length)).toEqual([200, 200, 50]);
    expect(slices[1]![0]).toBe(200);
  });

  it('rejects a value that cannot be copied, naming the message', async () => {
    await expect(
      bus.publish('orders', [{ value: 1 }, { value: { total: () => 1 } }]),
    ).rejects.toThrow(/messages\[1\]\.value cannot be copied/);
    expect(await bus.listTopics()).toEqual([]);
  });

  it('sends the same key to the same partition and creates topics with the default partitions', async () => {
    const partitions: number[] = [];
    await bus.subscribe({
      groupId: 'g',
      topics: ['payouts'],
      fromBeginning: true,
      handler: async (message) => void partitions.push(message.partition),
    });
    await bus.publish('payouts', [
      { key: 'payee-1', value: 1 },
      { key: 'payee-1', value: 2 },
      { key: 'payee-1', value: 3 },
    ]);
    await new Promise((resolve) => setImmediate(resolve));

    expect(partitions).toHaveLength(3);
    expect(new Set(partitions).size).toBe(1);
    expect(await bus.listTopics()).toEqual([{ name: 'payouts', partitions: 4 }]);
  });

  it('hands the partitions of a member that leaves to the members that stay', async () => {
    const stays: number[] = [];
    const leaves = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      handler: async () => undefined,
    });
    await bus.subscribe<number>({
      groupId: 'g',
      topics: ['t'],
      handler: async (message) => void stays.push(message.value),
    });
    await leaves.close();

    await bus.publish(
      't',
      Array.from({ length: 20 }, (_, index) => ({ key: `k${index}`, value: index })),
    );
    await new Promise((resolve) => setImmediate(resolve));

    expect(stays.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index));
  });

  it('drops the oldest messages beyond its retention, and a new group starts at the oldest kept', async () => {
    const small = new MemoryEventBus({ defaultPartitions: 1, maxMessagesPerPartition: 5 });
    await small.connect();
    await small.publish(
      't',
      Array.from({ length: 10 }, (_, index) => ({ value: index })),
    );
    const seen: number[] = [];
    await small.subscribe<number>({
      groupId: 'g',
      topics: ['t'],
      fromBeginning: true,
      handler: async (m) => void seen.push(m.value),
    });
    await new Promise((resolve) => setImmediate(resolve));
    await small.disconnect();

    expect(seen).toEqual([5, 6, 7, 8, 9]);
  });

  it('with dropConsumed, lets go of what every reading group acknowledged and keeps the rest', async () => {
    const trimming = new MemoryEventBus({ defaultPartitions: 1, dropConsumed: true });
    await trimming.connect();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const fast: number[] = [];
    await trimming.subscribe<number>({
      groupId: 'fast',
      topics: ['t'],
      handler: async (m) => void fast.push(m.value),
    });
    // The slow group stops at message 2000: nothing from there on may go.
    await trimming.subscribe<number>({
      groupId: 'slow',
      topics: ['t'],
      handler: async (m) => (m.value === 2000 ? held : undefined),
    });
    for (let batch = 0; batch < 3; batch++) {
      await trimming.publish(
        't',
        Array.from({ length: 1000 }, (_, index) => ({ value: batch * 1000 + index })),
      );
      await settled(() => fast.length === (batch + 1) * 1000);
    }
    await trimming.publish('t', [{ value: 3000 }]);
    const late: number[] = [];
    await trimming.subscribe<number>({
      groupId: 'late',
      topics: ['t'],
      fromBeginning: true,
      handler: async (m) => void late.push(m.value),
    });
    await settled(() => late.at(-1) === 3000 && fast.length === 3001);
    release();
    await trimming.disconnect();

    expect(fast).toHaveLength(3001);
    expect(late[0]).toBe(2000);
    expect(late.at(-1)).toBe(3000);
  });

  it('with maxBacklogPerPartition, refuses a whole batch that would leave readers too far behind, and takes more once they caught up', async () => {
    const bounded = new MemoryEventBus({ defaultPartitions: 1, maxBacklogPerPartition: 3 });
    await bounded.connect();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const handled: number[] = [];
    await bounded.subscribe<number>({
      groupId: 'slow',
      topics: ['t'],
      handler: async (m) => {
        if (m.value === 1) await held;
        handled.push(m.value);
      },
    });
    await bounded.publish('t', [{ value: 1 }, { value: 2 }]);
    // 1 is being handled and 2 waits: room for one more, not for two.
    await expect(bounded.publish('t', [{ value: 3 }, { value: 4 }])).rejects.toThrow(EventBusBackpressureError);
    await expect(bounded.publish('t', [{ value: 3 }, { value: 4 }])).rejects.toThrow(
      "publish to 't': partition 0 already holds 2 messages its readers have not handled (limit 3)",
    );
    await bounded.publish('t', [{ value: 3 }]);
    release();
    await settled(() => handled.length === 3);
    await bounded.publish('t', [{ value: 4 }, { value: 5 }, { value: 6 }]);
    await settled(() => handled.length === 6);
    await bounded.disconnect();
    // Nothing of a refused batch was taken: every message arrives once, in order.
    expect(handled).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses a maxBacklogPerPartition that is not a positive whole number', () => {
    expect(() => new MemoryEventBus({ maxBacklogPerPartition: 0 })).toThrow(/maxBacklogPerPartition/);
  });

  it('with keyConcurrency, delivers again from the rejected message once the handlers in flight finished', async () => {
    const single = new MemoryEventBus({ defaultPartitions: 1, redeliveryDelayMs: 10 });
    await single.connect();
    await single.publish('orders', [
      { key: 'a', value: 'a0' },
      { key: 'b', value: 'b0' },
      { key: 'c', value: 'c0' },
      { key: 'd', value: 'd0' },
      { key: 'b', value: 'b1' },
    ]);
    const started: string[] = [];
    const finished: string[] = [];
    let running = 0;
    let mostRunning = 0;
    let failedOnce = false;
    await single.subscribe<string>({
      groupId: 'g',
      topics: ['orders'],
      fromBeginning: true,
      keyConcurrency: 4,
      handler: async (message) => {
        started.push(message.value);
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        try {
          if (message.value === 'b0' && !failedOnce) {
            // Fails only after the later c0 and d0 succeeded: they must come again all the same.
            await settled(() => finished.includes('c0') && finished.includes('d0'));
            failedOnce = true;
            throw new Error('ERP answered 503');
          }
          await new Promise((resolve) => setImmediate(resolve));
          finished.push(message.value);
        } finally {
          running -= 1;
        }
      },
    });
    await until(() => finished.includes('b1'));
    await single.disconnect();

    expect(mostRunning).toBe(4);
    // a0 was acknowledged before b0 failed; b0 and everything after it came again, and b1 ran
    // only after b0 succeeded.
    expect(started.filter((value) => value === 'a0')).toHaveLength(1);
    expect(started.filter((value) => value === 'b0')).toHaveLength(2);
    expect(started.filter((value) => value === 'c0')).toHaveLength(2);
    expect(started.filter((value) => value === 'd0')).toHaveLength(2);
    expect(started.filter((value) => value === 'b1')).toHaveLength(1);
    expect(started.indexOf('b1')).toBeGreaterThan(started.lastIndexOf('b0'));
    expect(finished.indexOf('b1')).toBeGreaterThan(finished.indexOf('b0'));
  });

  it('with keyConcurrency, closes a subscription only after every handler in flight finished', async () => {
    await bus.ensureTopics([{ name: 'closing', partitions: 1 }]);
    const gates = new Map<string, () => void>();
    const subscription = await bus.subscribe<string>({
      groupId: 'g',
      topics: ['closing'],
      keyConcurrency: 8,
      handler: (message) => new Promise<void>((resolve) => gates.set(message.value, resolve)),
    });
    await bus.publish('closing', [
      { key: 'x', value: 'x' },
      { key: 'y', value: 'y' },
    ]);
    await settled(() => gates.size === 2);

    let closed = false;
    const closing = subscription.close().then(() => (closed = true));
    gates.get('x')!();
    await turns(20);
    expect(closed).toBe(false);
    gates.get('y')!();
    await closing;
    expect(closed).toBe(true);
  });

  it('refuses use before connect', async () => {
    const fresh = new MemoryEventBus();
    await expect(fresh.publish('t', [{ value: 1 }])).rejects.toThrow(/needs connect\(\) first/);
  });
});

/** Lets queued deliveries run (they yield between chunks) until `done` holds; fails after many turns. */
async function settled(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 10_000 && !done(); turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!done()) throw new Error('deliveries did not settle');
}

/** Waits (in short sleeps, for timers in the bus) until `done` holds; fails after many tries. */
async function until(done: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 1_000 && !done(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (!done()) throw new Error('the expected deliveries did not happen');
}

/** Lets `count` rounds of queued deliveries run. */
async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
}
