import type { EachBatchPayload } from 'kafkajs';
import { silentBusLogger } from '../bus-logger';
import { OffsetCommitter, type OffsetCommitterSettings } from './offset-committer';

type Offsets = Parameters<EachBatchPayload['commitOffsetsIfNecessary']>[0];

/** A consumer group stand-in: commit requests are recorded and answered when the test says so. */
class Group {
  readonly requests: Offsets[] = [];
  private readonly waiting: Array<(error?: Error) => void> = [];

  /** The payload of a batch of `topic`/`partition` that commits through this group. */
  batch(topic: string, partition: number): EachBatchPayload {
    const commitOffsetsIfNecessary = (offsets?: Offsets): Promise<void> => {
      this.requests.push(offsets);
      return new Promise((resolve, reject) =>
        this.waiting.push((error) => (error ? reject(error) : resolve())),
      );
    };
    return { batch: { topic, partition }, commitOffsetsIfNecessary } as unknown as EachBatchPayload;
  }

  answer(error?: Error): void {
    const next = this.waiting.shift();
    if (next === undefined) throw new Error('no commit request is waiting');
    next(error);
  }
}

/** `beforeCommit` calls that settle when the test says so. */
class SteppedBeforeCommit {
  calls = 0;
  private readonly waiting: Array<(error?: Error) => void> = [];
  readonly run = (): Promise<void> => {
    this.calls += 1;
    return new Promise((resolve, reject) =>
      this.waiting.push((error) => (error ? reject(error) : resolve())),
    );
  };

  settle(error?: Error): void {
    const next = this.waiting.shift();
    if (next === undefined) throw new Error('no beforeCommit is waiting');
    next(error);
  }
}

function committer(overrides: Partial<OffsetCommitterSettings> = {}): OffsetCommitter {
  return new OffsetCommitter({
    groupId: 'g',
    retryDelayMs: 5,
    commitIntervalMs: 0,
    logger: silentBusLogger,
    ...overrides,
  });
}

const turns = async (count = 5): Promise<void> => {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
};

const offsetsOf = (topic: string, partitions: Array<[number, string]>): Offsets => ({
  topics: [{ topic, partitions: partitions.map(([partition, offset]) => ({ partition, offset })) }],
});

describe('OffsetCommitter', () => {
  it('commits only after beforeCommit settled, and what arrives meanwhile in one request with the highest offset per partition', async () => {
    const group = new Group();
    const beforeCommit = new SteppedBeforeCommit();
    const commits = committer({ beforeCommit: beforeCommit.run });

    commits.handled(group.batch('orders', 0), '10');
    await turns();
    expect(beforeCommit.calls).toBe(1);
    expect(group.requests).toEqual([]);
    beforeCommit.settle();
    await turns();
    expect(group.requests).toEqual([offsetsOf('orders', [[0, '10']])]);

    commits.handled(group.batch('orders', 1), '7');
    commits.handled(group.batch('orders', 0), '12');
    // Offsets past 2^53 compare as integers, not as doubles.
    commits.handled(group.batch('orders', 2), '9007199254740993');
    commits.handled(group.batch('orders', 2), '9007199254740992');
    group.answer();
    await turns();
    beforeCommit.settle();
    await turns();
    expect(group.requests[1]).toEqual(
      offsetsOf('orders', [
        [1, '7'],
        [0, '12'],
        [2, '9007199254740993'],
      ]),
    );
    group.answer();
    await commits.close();
    expect(group.requests).toHaveLength(2);
  });

  it('keeps the offsets when beforeCommit fails and commits them, with later ones, after the retry delay', async () => {
    const group = new Group();
    const beforeCommit = new SteppedBeforeCommit();
    const commits = committer({ beforeCommit: beforeCommit.run, retryDelayMs: 20 });

    commits.handled(group.batch('orders', 0), '10');
    await turns();
    beforeCommit.settle(new Error('database unavailable'));
    commits.handled(group.batch('orders', 1), '4');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(beforeCommit.calls).toBe(2);
    expect(group.requests).toEqual([]);
    beforeCommit.settle();
    await turns();
    expect(group.requests).toEqual([
      offsetsOf('orders', [
        [1, '4'],
        [0, '10'],
      ]),
    ]);
    group.answer();
    await commits.close();
  });

  it('tries a failed commit again and leaves nothing behind once it succeeds', async () => {
    const group = new Group();
    const commits = committer();

    commits.handled(group.batch('orders', 0), '10');
    await turns();
    group.answer(new Error('The coordinator is not aware of this member'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(group.requests).toEqual([
      offsetsOf('orders', [[0, '10']]),
      offsetsOf('orders', [[0, '10']]),
    ]);
    group.answer();
    await commits.close();
    expect(group.requests).toHaveLength(2);
  });

  it('after a rebalance, drops offsets of partitions the member no longer reads, including ones kept after a failure', async () => {
    const group = new Group();
    const beforeCommit = new SteppedBeforeCommit();
    const commits = committer({ beforeCommit: beforeCommit.run, retryDelayMs: 10 });

    commits.handled(group.batch('orders', 0), '10');
    commits.handled(group.batch('orders', 1), '20');
    await turns();
    commits.keepOnly({ orders: [1] });
    beforeCommit.settle(new Error('database unavailable'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    beforeCommit.settle();
    await turns();
    expect(group.requests).toEqual([offsetsOf('orders', [[1, '20']])]);
    group.answer();
    await commits.close();
  });

  it("commits through the newest batch's group, also when older offsets come back after a failure (kafkajs makes a new group object when it restarts a consumer)", async () => {
    const before = new Group();
    const after = new Group();
    const commits = committer({ retryDelayMs: 20 });

    commits.handled(before.batch('orders', 1), '7');
    await turns();
    // While that commit fails (the consumer restarted), the new group's first batch is handed over.
    commits.handled(after.batch('orders', 0), '2');
    before.answer(new Error('The coordinator is not aware of this member'));
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(before.requests).toHaveLength(1);
    expect(after.requests).toEqual([
      offsetsOf('orders', [
        [0, '2'],
        [1, '7'],
      ]),
    ]);
    after.answer();
    await commits.close();
  });

  it('waits commitIntervalMs between rounds and takes everything handed over meanwhile', async () => {
    const group = new Group();
    const commits = committer({ commitIntervalMs: 40 });

    commits.handled(group.batch('orders', 0), '1');
    await turns();
    group.answer();
    commits.handled(group.batch('orders', 0), '2');
    commits.handled(group.batch('orders', 0), '3');
    await turns();
    expect(group.requests).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(group.requests).toEqual([
      offsetsOf('orders', [[0, '1']]),
      offsetsOf('orders', [[0, '3']]),
    ]);
    group.answer();
    await commits.close();
  });

  it('on close, commits what is pending without waiting for the interval, and drops it when that attempt fails', async () => {
    const group = new Group();
    const beforeCommit = new SteppedBeforeCommit();
    const commits = committer({
      beforeCommit: beforeCommit.run,
      commitIntervalMs: 60_000,
      retryDelayMs: 60_000,
    });

    commits.handled(group.batch('orders', 0), '1');
    await turns();
    beforeCommit.settle();
    await turns();
    group.answer();
    // The next round would wait a minute; close commits it now.
    commits.handled(group.batch('orders', 0), '2');
    const closing = commits.close();
    await turns();
    beforeCommit.settle(new Error('database unavailable'));
    await closing;
    expect(group.requests).toEqual([offsetsOf('orders', [[0, '1']])]);
  });
});
