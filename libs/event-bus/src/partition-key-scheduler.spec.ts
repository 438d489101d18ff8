import { PartitionKeyScheduler } from './partition-key-scheduler';

interface Order {
  key: string | null;
  seq: number;
}

/** A handler whose calls finish when the test says so, recording what runs at the same time. */
class ControlledHandler {
  readonly started: number[] = [];
  readonly finished: number[] = [];
  maxRunning = 0;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();

  readonly run = (message: Order): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      this.started.push(message.seq);
      this.pending.set(message.seq, { resolve, reject });
      this.maxRunning = Math.max(this.maxRunning, this.pending.size);
    });

  get running(): number[] {
    return [...this.pending.keys()];
  }

  async succeed(seq: number): Promise<void> {
    this.take(seq).resolve();
    this.finished.push(seq);
    await flush();
  }

  async fail(seq: number): Promise<void> {
    this.take(seq).reject(new Error(`order ${seq} failed`));
    await flush();
  }

  private take(seq: number): { resolve: () => void; reject: (e: Error) => void } {
    const call = this.pending.get(seq);
    if (call === undefined) throw new Error(`order ${seq} is not running`);
    this.pending.delete(seq);
    return call;
  }
}

async function submitAll(
  scheduler: PartitionKeyScheduler<Order>,
  orders: readonly Order[],
): Promise<number> {
  let submitted = 0;
  for (const order of orders) {
    if (!(await scheduler.room())) break;
    scheduler.submit(order);
    submitted += 1;
  }
  return submitted;
}

describe('PartitionKeyScheduler', () => {
  it('runs different keys side by side and each key one message at a time, in order', async () => {
    const handler = new ControlledHandler();
    const scheduler = new PartitionKeyScheduler<Order>({ concurrency: 8, run: handler.run });
    const orders = [
      { key: 'a', seq: 0 },
      { key: 'b', seq: 1 },
      { key: 'a', seq: 2 },
      { key: 'c', seq: 3 },
      { key: 'b', seq: 4 },
    ];
    await submitAll(scheduler, orders);

    expect(handler.running).toEqual([0, 1, 3]);
    await handler.succeed(1);
    expect(handler.running).toEqual([0, 3, 4]);
    await handler.succeed(0);
    expect(handler.running).toEqual([3, 4, 2]);
    await handler.succeed(2);
    await handler.succeed(4);
    await handler.succeed(3);
    await scheduler.settled();

    expect(handler.started).toEqual([0, 1, 3, 4, 2]);
    expect(scheduler.finishedCount).toBe(5);
    expect(scheduler.lastFinished).toEqual({ key: 'b', seq: 4 });
  });

  it('keeps each key in order under random handler delays, with distinct keys overlapping', async () => {
    const random = seededRandom(42);
    const running = new Set<string | null>();
    const seen = new Map<string, number[]>();
    let inFlight = 0;
    let maxInFlight = 0;
    let sameKeyOverlaps = 0;
    const scheduler = new PartitionKeyScheduler<Order>({
      concurrency: 6,
      run: async (order) => {
        if (running.has(order.key)) sameKeyOverlaps += 1;
        running.add(order.key);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 4)));
        seen.set(order.key!, [...(seen.get(order.key!) ?? []), order.seq]);
        inFlight -= 1;
        running.delete(order.key);
      },
    });
    const orders = Array.from({ length: 300 }, (_, seq) => ({
      key: `customer-${Math.floor(random() * 12)}`,
      seq,
    }));

    expect(await submitAll(scheduler, orders)).toBe(300);
    await scheduler.settled();

    expect(sameKeyOverlaps).toBe(0);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(6);
    for (const [key, seqs] of seen) {
      const published = orders.filter((order) => order.key === key).map((order) => order.seq);
      expect(seqs).toEqual(published);
    }
    expect(scheduler.finishedCount).toBe(300);
  });

  it('counts messages waiting for their key against the limit, so a hot key cannot run away', async () => {
    const handler = new ControlledHandler();
    const scheduler = new PartitionKeyScheduler<Order>({ concurrency: 3, run: handler.run });
    const submitting = submitAll(scheduler, [
      { key: 'hot', seq: 0 },
      { key: 'hot', seq: 1 },
      { key: 'hot', seq: 2 },
      { key: 'cold', seq: 3 },
    ]);
    await flush();

    expect(handler.running).toEqual([0]);
    expect(scheduler.hasRoom).toBe(false);
    await handler.succeed(0);
    expect(handler.running).toEqual([1, 3]);
    await handler.succeed(1);
    await handler.succeed(3);
    await handler.succeed(2);
    expect(await submitting).toBe(4);
  });

  it('runs keyless messages one at a time among themselves, beside keyed ones', async () => {
    const handler = new ControlledHandler();
    const scheduler = new PartitionKeyScheduler<Order>({ concurrency: 4, run: handler.run });
    await submitAll(scheduler, [
      { key: null, seq: 0 },
      { key: null, seq: 1 },
      { key: 'a', seq: 2 },
    ]);

    expect(handler.running).toEqual([0, 2]);
    await handler.succeed(0);
    expect(handler.running).toEqual([2, 1]);
  });

  it('with a concurrency of 1 runs the partition strictly one message after another', async () => {
    const handler = new ControlledHandler();
    const scheduler = new PartitionKeyScheduler<Order>({ concurrency: 1, run: handler.run });
    const submitting = submitAll(scheduler, [
      { key: 'a', seq: 0 },
      { key: 'b', seq: 1 },
      { key: 'c', seq: 2 },
    ]);
    for (const seq of [0, 1, 2]) {
      await flush();
      expect(handler.running).toEqual([seq]);
      await handler.succeed(seq);
    }
    await submitting;

    expect(handler.maxRunning).toBe(1);
  });

  it('counts as finished only the run of messages with nothing unfinished before them', async () => {
    const handler = new ControlledHandler();
    const scheduler = new PartitionKeyScheduler<Order>({ concurrency: 4, run: handler.run });
    await submitAll(scheduler, [
      { key: 'a', seq: 0 },
      { key: 'b', seq: 1 },
      { key: 'c', seq: 2 },
    ]);

    await handler.succeed(2);
    await handler.succeed(1);
    expect(scheduler.finishedCount).toBe(0);
    expect(scheduler.lastFinished).toBeUndefined();
    await handler.succeed(0);
    expect(scheduler.finishedCount).toBe(3);
    expect(scheduler.lastFinished?.seq).toBe(2);
  });

  it('after a rejection starts nothing more, lets running handlers finish and drops what waited for a key', async () => {
    const handler = new ControlledHandler();
    const rejected: number[] = [];
    const scheduler = new PartitionKeyScheduler<Order>({
      concurrency: 8,
      run: handler.run,
      onRejected: (order) => rejected.push(order.seq),
    });
    await submitAll(scheduler, [
      { key: 'a', seq: 0 },
      { key: 'b', seq: 1 },
      { key: 'c', seq: 2 },
      { key: 'b', seq: 3 },
      { key: 'c', seq: 4 },
      { key: 'd', seq: 5 },
    ]);
    expect(handler.running).toEqual([0, 1, 2, 5]);

    await handler.fail(1);
    expect(rejected).toEqual([1]);
    expect(scheduler.failed).toBe(true);
    expect(await scheduler.room()).toBe(false);
    expect(() => scheduler.submit({ key: 'e', seq: 6 })).toThrow(/without room/);
    let settled = false;
    const settling = scheduler.settled().then(() => (settled = true));
    await handler.succeed(2);
    await handler.succeed(5);
    expect(settled).toBe(false);
    await handler.succeed(0);
    await settling;

    // 3 (behind the rejected 1) and 4 (behind 2) never ran: they come again with the redelivery.
    expect(handler.started).toEqual([0, 1, 2, 5]);
    expect(scheduler.finishedCount).toBe(1);
    expect(scheduler.lastFinished?.seq).toBe(0);
  });

  it('wakes a submitter waiting for room with false when a handler rejects', async () => {
    const handler = new ControlledHandler();
    const scheduler = new PartitionKeyScheduler<Order>({ concurrency: 1, run: handler.run });
    scheduler.submit({ key: 'a', seq: 0 });
    const waiting = scheduler.room();

    await handler.fail(0);

    expect(await waiting).toBe(false);
    expect(scheduler.finishedCount).toBe(0);
  });

  it('treats a handler that throws instead of rejecting as a rejection', async () => {
    const scheduler = new PartitionKeyScheduler<Order>({
      concurrency: 2,
      run: () => {
        throw new Error('not even a promise');
      },
    });
    scheduler.submit({ key: 'a', seq: 0 });
    await scheduler.settled();

    expect(scheduler.failed).toBe(true);
  });

  it('refuses a concurrency below 1', () => {
    expect(
      () => new PartitionKeyScheduler<Order>({ concurrency: 0, run: async () => undefined }),
    ).toThrow(RangeError);
  });
});

/** Lets every queued promise callback run. */
async function flush(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await Promise.resolve();
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
