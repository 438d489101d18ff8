import type { EachBatchPayload } from 'kafkajs';
import { CommitCoalescer } from './commit-coalescer';

type Offsets = Parameters<EachBatchPayload['commitOffsetsIfNecessary']>[0];

/** A batch payload whose commits are recorded and answered when the test says so. */
function recordingGroup(): {
  payload: (topic: string, partition: number) => EachBatchPayload;
  requests: Offsets[];
  answer: (error?: Error) => void;
} {
  const requests: Offsets[] = [];
  const waiting: Array<(error?: Error) => void> = [];
  const commitOffsetsIfNecessary = (offsets?: Offsets): Promise<void> => {
    requests.push(offsets);
    return new Promise((resolve, reject) =>
      waiting.push((error) => (error ? reject(error) : resolve())),
    );
  };
  return {
    payload: (topic, partition) =>
      ({ batch: { topic, partition }, commitOffsetsIfNecessary }) as unknown as EachBatchPayload,
    requests,
    answer: (error) => waiting.shift()?.(error),
  };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('CommitCoalescer', () => {
  it('commits the first at once and those arriving meanwhile in one request, the highest offset per partition', async () => {
    const group = recordingGroup();
    const commits = new CommitCoalescer();
    const first = commits.commit(group.payload('orders', 0), '10');
    expect(group.requests).toEqual([
      { topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: '10' }] }] },
    ]);
    const later = [
      commits.commit(group.payload('orders', 1), '7'),
      commits.commit(group.payload('orders', 0), '12'),
      commits.commit(group.payload('payments', 0), '3'),
      // Offsets past 2^53 compare as integers, not as strings or doubles.
      commits.commit(group.payload('orders', 2), '9007199254740993'),
      commits.commit(group.payload('orders', 2), '9007199254740992'),
    ];
    group.answer();
    await first;
    await flush();
    expect(group.requests).toHaveLength(2);
    expect(group.requests[1]).toEqual({
      topics: [
        {
          topic: 'orders',
          partitions: [
            { partition: 1, offset: '7' },
            { partition: 0, offset: '12' },
            { partition: 2, offset: '9007199254740993' },
          ],
        },
        { topic: 'payments', partitions: [{ partition: 0, offset: '3' }] },
      ],
    });
    group.answer();
    await Promise.all(later);
  });

  it('rejects the commits of a failed request and still sends those queued behind it', async () => {
    const group = recordingGroup();
    const commits = new CommitCoalescer();
    const failing = commits.commit(group.payload('orders', 0), '10');
    const behind = commits.commit(group.payload('orders', 0), '11');
    group.answer(new Error('rebalance in progress'));
    await expect(failing).rejects.toThrow('rebalance in progress');
    await flush();
    expect(group.requests).toHaveLength(2);
    group.answer();
    await expect(behind).resolves.toBeUndefined();
  });

  it("sends a request through the newest batch's group (kafkajs makes a new one when it restarts a consumer)", async () => {
    const before = recordingGroup();
    const after = recordingGroup();
    const commits = new CommitCoalescer();
    const first = commits.commit(before.payload('orders', 0), '1');
    const queued = [
      commits.commit(before.payload('orders', 0), '2'),
      commits.commit(after.payload('orders', 0), '3'),
    ];
    before.answer();
    await first;
    await flush();
    expect(before.requests).toHaveLength(1);
    expect(after.requests).toEqual([
      { topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: '3' }] }] },
    ]);
    after.answer();
    await Promise.all(queued);
  });
});
