import { describeEventBusContract } from '../contract/event-bus.contract';
import type { DeliveredMessage } from '../event-bus.port';
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
