import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgresError } from '../persistence.errors';
import { createDataSource } from './create-data-source';
import { migrateDatabase } from './migrate-database';
import { startEmbeddedPostgres } from './start-embedded-postgres';

describe('startEmbeddedPostgres', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sb-embedded-pg-'));
    // Run as root, PostgreSQL runs as the postgres user, which must be able to reach the data folder.
    await chmod(folder, 0o755);
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('initialises a cluster in an empty folder, serves migrations, and reuses the data on the next start', async () => {
    const dataDir = join(folder, 'pgdata');
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      expect(first.url).toMatch(/^postgres:\/\/postgres:postgres@127\.0\.0\.1:\d+\/switchboard$/);
      const dataSource = createDataSource({ url: first.url });
      const applied = await migrateDatabase(dataSource);
      expect([...applied].sort()).toEqual(
        dataSource.migrations.map((migration) => migration.name).sort(),
      );
      expect(applied[0]).toBe('InitialSchema1732406400000');
      await dataSource.query(
        `INSERT INTO flow_cursors (flow_id, cursor) VALUES ('kept', '"across restarts"')`,
      );
      await dataSource.destroy();
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir });
    try {
      const dataSource = createDataSource({ url: second.url });
      expect(await migrateDatabase(dataSource)).toEqual([]);
      expect(
        await dataSource.query(`SELECT cursor FROM flow_cursors WHERE flow_id = 'kept'`),
      ).toEqual([{ cursor: 'across restarts' }]);
      await dataSource.destroy();
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('refuses a folder that holds something other than a PostgreSQL cluster', async () => {
    const dataDir = join(folder, 'not-a-cluster');
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'notes.txt'), 'hello');
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(EmbeddedPostgresError);
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(
      /neither empty nor a PostgreSQL data folder/,
    );
  });
});
