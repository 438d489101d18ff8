import { type DataSource, type EntityManager } from 'typeorm';

/** What a locked run produced: `acquired` false means another instance held the lock and `fn` did not run. */
export interface LockedRun<T> {
  acquired: boolean;
  result?: T;
}

/**
 * Runs `fn` only if no other session holds `lockName`, inside a transaction whose end releases the
 * lock (so a crashed instance cannot leave it held). Never waits: a busy lock returns at once.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  lockName: string,
  fn: (manager: EntityManager) => Promise<T>,
): Promise<LockedRun<T>> {
  return dataSource.transaction(async (manager) => {
    const rows = await manager.query<Array<{ acquired: boolean }>>(
      'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS acquired',
      [lockName],
    );
    if (rows[0]?.acquired !== true) return { acquired: false };
    return { acquired: true, result: await fn(manager) };
  });
}
