import { randomUUID } from 'node:crypto';
import {
  createTestDatabase,
  ExecutionRepository,
  type TestDatabase,
} from '@switchboard/persistence';
import { IdempotencyGuard } from './idempotency.guard';

describe('IdempotencyGuard', () => {
  let db: TestDatabase;
  let executions: ExecutionRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    executions = new ExecutionRepository(db.dataSource);
    const startedAt = new Date();
    await executions.upsertMany([
      {
        id: randomUUID(),
        flowId: 'orders',
        flowVersion: 1,
        eventId: 'done-1',
        status: 'succeeded',
        attempts: 1,
        startedAt,
      },
      {
        id: randomUUID(),
        flowId: 'orders',
        flowVersion: 1,
        eventId: 'done-2',
        status: 'succeeded',
        attempts: 1,
        startedAt,
      },
      {
        id: randomUUID(),
        flowId: 'orders',
        flowVersion: 1,
        eventId: 'failed-1',
        status: 'dead_lettered',
        attempts: 3,
        startedAt,
      },
      {
        id: randomUUID(),
        flowId: 'payouts',
        flowVersion: 1,
        eventId: 'done-3',
        status: 'succeeded',
        attempts: 1,
        startedAt,
      },
    ]);
  });
  afterAll(() => db.drop());

  it('answers from the executions table, per flow', async () => {
    const guard = new IdempotencyGuard(executions);
    expect(await guard.alreadyDone('orders', 'done-1')).toBe(true);
    expect(await guard.alreadyDone('orders', 'failed-1')).toBe(false);
    expect(await guard.alreadyDone('orders', 'new-1')).toBe(false);
    expect(await guard.alreadyDone('orders', 'done-3')).toBe(false);
    expect(await guard.alreadyDone('payouts', 'done-3')).toBe(true);
  });

  it('answers recent successes from memory, before their rows are written', async () => {
    const guard = new IdempotencyGuard(executions);
    expect(await guard.alreadyDone('orders', 'buffered-1')).toBe(false);
    guard.markDone('orders', 'buffered-1');
    expect(await guard.alreadyDone('orders', 'buffered-1')).toBe(true);
    expect(await guard.alreadyDone('payouts', 'buffered-1')).toBe(false);
  });

  it('answers concurrent lookups with fewer queries than events, each with its own answer', async () => {
    const guard = new IdempotencyGuard(executions);
    const queries = jest.spyOn(executions, 'succeededAmong');
    try {
      const asked = ['done-1', 'new-1', 'done-2', 'failed-1', 'done-1', 'new-2', 'done-3'];
      const answers = await Promise.all(
        asked.map((eventId) => guard.alreadyDone('orders', eventId)),
      );
      expect(answers).toEqual([true, false, true, false, true, false, false]);
      // Lookups made in the same turn share one query.
      expect(queries).toHaveBeenCalledTimes(1);
      // Those arriving while a query runs share the next one.
      const first = guard.alreadyDone('orders', 'new-3');
      await new Promise((resolve) => setImmediate(resolve));
      const later = ['done-2', 'new-4'].map((eventId) => guard.alreadyDone('orders', eventId));
      expect(await Promise.all([first, ...later])).toEqual([false, true, false]);
      expect(queries).toHaveBeenCalledTimes(3);
    } finally {
      queries.mockRestore();
    }
  });

  it('answers the events of a prefetched batch without a query each', async () => {
    const guard = new IdempotencyGuard(executions);
    const queries = jest.spyOn(executions, 'succeededAmong');
    try {
      await guard.prefetch('orders', ['done-1', 'new-1', 'failed-1', 'done-2']);
      expect(queries).toHaveBeenCalledTimes(1);
      expect(await guard.alreadyDone('orders', 'done-1')).toBe(true);
      expect(await guard.alreadyDone('orders', 'new-1')).toBe(false);
      expect(await guard.alreadyDone('orders', 'failed-1')).toBe(false);
      expect(await guard.alreadyDone('orders', 'done-2')).toBe(true);
      expect(queries).toHaveBeenCalledTimes(1);
      // A "not done" answer is used once: the same event delivered again is looked up again.
      expect(await guard.alreadyDone('orders', 'new-1')).toBe(false);
      expect(queries).toHaveBeenCalledTimes(2);
      // A prefetch is per flow.
      expect(await guard.alreadyDone('payouts', 'done-1')).toBe(false);
    } finally {
      queries.mockRestore();
    }
  });

  it('looks up the batches of one fetch (a partition each), prefetched in the same turn, in one query', async () => {
    const guard = new IdempotencyGuard(executions);
    const queries = jest.spyOn(executions, 'succeededAmong');
    try {
      await Promise.all([
        guard.prefetch('orders', ['done-1', 'new-5']),
        guard.prefetch('orders', ['done-2']),
        guard.prefetch('orders', ['failed-1', 'new-6']),
      ]);
      expect(queries).toHaveBeenCalledTimes(1);
      expect(await guard.alreadyDone('orders', 'done-2')).toBe(true);
      expect(await guard.alreadyDone('orders', 'new-6')).toBe(false);
      expect(queries).toHaveBeenCalledTimes(1);
    } finally {
      queries.mockRestore();
    }
  });

  it('treats an event handled after its prefetch as done', async () => {
    const guard = new IdempotencyGuard(executions);
    await guard.prefetch('orders', ['new-3', 'new-3']);
    expect(await guard.alreadyDone('orders', 'new-3')).toBe(false);
    guard.markDone('orders', 'new-3');
    // The same event again in the batch (a sender's retry) is a duplicate.
    expect(await guard.alreadyDone('orders', 'new-3')).toBe(true);
  });

  it('fails the lookups of a failed query and recovers for the next ones', async () => {
    const guard = new IdempotencyGuard(executions);
    const queries = jest
      .spyOn(executions, 'succeededAmong')
      .mockRejectedValueOnce(new Error('connection reset'));
    try {
      await expect(guard.alreadyDone('orders', 'done-1')).rejects.toThrow('connection reset');
      expect(await guard.alreadyDone('orders', 'done-1')).toBe(true);
    } finally {
      queries.mockRestore();
    }
  });
});
