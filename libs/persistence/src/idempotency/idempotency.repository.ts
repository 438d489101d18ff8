import { type DataSource, type Repository } from 'typeorm';
import { runSql } from '../database/run-sql';
import { IdempotencyKey } from './idempotency-key.entity';

/**
 * Idempotency keys per scope (e.g. `flow:<flowId>` or `payoneer:payout`): the first `claim` of a
 * key wins, everyone after sees it taken, so an at-least-once redelivery does not repeat an effect.
 */
export class IdempotencyRepository {
  private readonly keys: Repository<IdempotencyKey>;

  constructor(private readonly dataSource: DataSource) {
    this.keys = dataSource.getRepository(IdempotencyKey);
  }

  /** True for exactly one caller per (scope, key), however many race; atomic in the database. */
  async claim(scope: string, key: string): Promise<boolean> {
    const { affected } = await runSql(
      this.dataSource,
      'INSERT INTO idempotency_keys (scope, key) VALUES ($1, $2) ON CONFLICT (scope, key) DO NOTHING',
      [scope, key],
    );
    return affected === 1;
  }

  /** Records the effect's result (JSON) so duplicates can answer with it; claims the key if nobody had. */
  async complete(scope: string, key: string, result: unknown): Promise<void> {
    await runSql(
      this.dataSource,
      `INSERT INTO idempotency_keys (scope, key, result, completed_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (scope, key) DO UPDATE SET result = EXCLUDED.result, completed_at = EXCLUDED.completed_at`,
      [scope, key, JSON.stringify(result ?? null)],
    );
  }

  /**
   * Gives up a claim whose effect failed, so a retry can claim it again. A completed key is kept:
   * its effect happened. Returns whether a claim was released.
   */
  async release(scope: string, key: string): Promise<boolean> {
    const { affected } = await runSql(
      this.dataSource,
      'DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND completed_at IS NULL',
      [scope, key],
    );
    return affected === 1;
  }

  /** The key's claim and result, or undefined if never claimed. */
  async get(scope: string, key: string): Promise<IdempotencyKey | undefined> {
    return (await this.keys.findOneBy({ scope, key })) ?? undefined;
  }
}
