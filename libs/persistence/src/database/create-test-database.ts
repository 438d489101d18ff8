import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import { createDataSource } from './create-data-source';
import { migrateDatabase } from './migrate-database';

/** A migrated, private schema for one test file. */
export interface TestDatabase {
  dataSource: DataSource;
  url: string;
  schema: string;
  /** Closes the data source and drops the schema with everything in it. */
  drop(): Promise<void>;
}

const DEFAULT_TEST_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * For tests: a fresh schema `sb_test_<random>` on `DATABASE_URL` (default the local `test`
 * database), migrated, with the data source's search_path pointing at it. Parallel workers never share one.
 */
export async function createTestDatabase(
  options: { poolSize?: number } = {},
): Promise<TestDatabase> {
  // Test-only helper: the one place in the lib that reads the environment, like every test runner does.
  const url = process.env['DATABASE_URL'] ?? DEFAULT_TEST_URL;
  const schema = `sb_test_${randomBytes(6).toString('hex')}`;
  const dataSource = createDataSource({ url, schema, poolSize: options.poolSize ?? 5 });
  try {
    await migrateDatabase(dataSource);
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dropSchema(url, schema);
    throw error;
  }
  return {
    dataSource,
    url,
    schema,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropSchema(url, schema);
    },
  };
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
