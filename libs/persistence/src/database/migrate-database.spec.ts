import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PersistenceInputError } from '../persistence.errors';
import { createDataSource } from './create-data-source';
import { createTestDatabase } from './create-test-database';
import { migrateDatabase } from './migrate-database';

const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function tablesIn(schema: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [schema],
    );
    return rows.map((row) => row.table_name);
  } finally {
    await client.end();
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

describe('migrateDatabase', () => {
  it('creates every table in an empty schema, and a second run applies nothing', async () => {
    const schema = `sb_test_${randomBytes(6).toString('hex')}`;
    const first = createDataSource({ url, schema });
    const second = createDataSource({ url, schema });
    try {
      const applied = await migrateDatabase(first);
      expect([...applied].sort()).toEqual(
        first.migrations.map((migration) => migration.name).sort(),
      );
      expect(applied[0]).toBe('InitialSchema1732406400000');
      expect(await tablesIn(schema)).toEqual(
        expect.arrayContaining([
          'audit_log',
          'dead_letters',
          'executions',
          'flow_cursors',
          'idempotency_keys',
          'ingress_events',
          'oauth_tokens',
          'schema_migrations',
          'secrets',
        ]),
      );
      expect(await migrateDatabase(first)).toEqual([]);
      expect(await migrateDatabase(second)).toEqual([]);
    } finally {
      await first.destroy();
      if (second.isInitialized) await second.destroy();
      await dropSchema(schema);
    }
  });

  it('lets several instances boot at once: exactly one applies the migration', async () => {
    const schema = `sb_test_${randomBytes(6).toString('hex')}`;
    const instances = [1, 2, 3].map(() => createDataSource({ url, schema, poolSize: 2 }));
    try {
      const applied = await Promise.all(instances.map((instance) => migrateDatabase(instance)));
      // Every migration applied exactly once, by whichever instance got the lock.
      expect([...applied.flat()].sort()).toEqual(
        instances[0]!.migrations.map((migration) => migration.name).sort(),
      );
    } finally {
      await Promise.all(instances.filter((i) => i.isInitialized).map((i) => i.destroy()));
      await dropSchema(schema);
    }
  });

  it('keeps each test database in its own schema, so they do not see each other', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      expect(a.schema).not.toEqual(b.schema);
      await a.dataSource.query(`INSERT INTO flow_cursors (flow_id, cursor) VALUES ('f', '1')`);
      expect(await b.dataSource.query(`SELECT * FROM flow_cursors`)).toEqual([]);
    } finally {
      await a.drop();
      await b.drop();
    }
    expect(await tablesIn(a.schema)).toEqual([]);
  });
});

describe('createDataSource', () => {
  it('refuses a schema name that could not be used safely, naming it', () => {
    expect(() => createDataSource({ url, schema: 'Robert"; DROP' })).toThrow(PersistenceInputError);
    expect(() => createDataSource({ url, schema: 'Robert"; DROP' })).toThrow(
      /schema "Robert"; DROP"/,
    );
  });

  it('refuses a URL that is not PostgreSQL', () => {
    expect(() => createDataSource({ url: 'mysql://localhost/db' })).toThrow(/postgres:\/\//);
  });
});
