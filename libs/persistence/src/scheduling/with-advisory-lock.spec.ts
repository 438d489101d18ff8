import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { withAdvisoryLock } from './with-advisory-lock';

describe('withAdvisoryLock', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('runs a scheduled tick on one of two concurrent callers only', async () => {
    let enteredFirst!: () => void;
    const firstIsInside = new Promise<void>((resolve) => (enteredFirst = resolve));
    let releaseFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => (releaseFirst = resolve));
    const ran: string[] = [];

    const first = withAdvisoryLock(db.dataSource, 'schedule:clarity-orders-poll', async () => {
      ran.push('first');
      enteredFirst();
      await firstMayFinish;
      return 'polled';
    });
    await firstIsInside;
    const second = await withAdvisoryLock(
      db.dataSource,
      'schedule:clarity-orders-poll',
      async () => {
        ran.push('second');
        return 'polled';
      },
    );
    releaseFirst();

    expect(second).toEqual({ acquired: false });
    expect(await first).toEqual({ acquired: true, result: 'polled' });
    expect(ran).toEqual(['first']);
  });

  it('releases the lock when the work ends, even by an error', async () => {
    await expect(
      withAdvisoryLock(db.dataSource, 'schedule:x', async () => {
        throw new Error('poll failed');
      }),
    ).rejects.toThrow('poll failed');
    expect(await withAdvisoryLock(db.dataSource, 'schedule:x', async () => 1)).toEqual({
      acquired: true,
      result: 1,
    });
  });

  it('does not block callers of other locks', async () => {
    const results = await Promise.all([
      withAdvisoryLock(db.dataSource, 'schedule:a', async () => 'a'),
      withAdvisoryLock(db.dataSource, 'schedule:b', async () => 'b'),
    ]);
    expect(results).toEqual([
      { acquired: true, result: 'a' },
      { acquired: true, result: 'b' },
    ]);
  });
});
