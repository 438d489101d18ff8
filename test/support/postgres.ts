import { resolve } from 'node:path';
import { Client } from 'pg';
// Global setup runs outside Jest's module mapper, so the lib is reached by path (its public door).
import { startEmbeddedPostgres } from '../../libs/persistence/src/index';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * PostgreSQL for a test run: `DATABASE_URL` when set, else the local server on 127.0.0.1:5432
 * when it answers, else an embedded server in .data/test-postgres. Tests then read DATABASE_URL.
 */
export async function obtainPostgres(): Promise<{ url: string; source: 'env' | 'local' | 'embedded'; stop(): Promise<void> }> {
  const fromEnv = process.env['DATABASE_URL'];
  if (fromEnv !== undefined && fromEnv !== '') return { url: fromEnv, source: 'env', stop: async () => undefined };
  if (await answers(DEFAULT_URL)) return { url: DEFAULT_URL, source: 'local', stop: async () => undefined };
  const embedded = await startEmbeddedPostgres({ dataDir: resolve(__dirname, '../../.data/test-postgres') });
  return { url: embedded.url, source: 'embedded', stop: () => embedded.stop() };
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    // Not reachable or refused: the caller falls back to an embedded server.
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
