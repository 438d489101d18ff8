import { type DataSource, MigrationExecutor } from 'typeorm';

/** Connects if needed and applies pending migrations; returns the names of those it applied (none on a re-run). */
export async function migrateDatabase(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const schema = dataSource.options.type === 'postgres' ? dataSource.options.schema : undefined;
  const lockName = `switchboard:migrations:${schema ?? 'public'}`;
  const runner = dataSource.createQueryRunner();
  try {
    // Instances booting together would race to apply the same migration: the first takes this
    // session lock, the others wait for it and then find nothing left to do.
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockName]);
    try {
      if (schema !== undefined) await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'all';
      const applied = await executor.executePendingMigrations();
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName]);
    }
  } finally {
    await runner.release();
  }
}
