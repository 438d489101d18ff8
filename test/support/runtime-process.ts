import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from './eventually';

const REPO_ROOT = resolve(__dirname, '../..');
const TEST_SHOP = join(REPO_ROOT, 'test/fixtures/connectors/test-shop');

export interface RuntimeProcessOptions {
  /** Shown in failure messages and in the runtime's Kafka client id. */
  name: string;
  /** Kafka brokers; none (or empty) runs the runtime on its in-process memory bus. */
  kafkaBrokers?: string[];
  database: { url: string; schema: string };
  flowsDir: string;
  mappingsDir: string;
  /** Base URL of the test-shop connector's remote system; without it no test-shop plugin is loaded. */
  shopUrl?: string;
  /** Port to listen on (default 0: any free one); a fixed one lets a restarted runtime keep its webhook URLs. */
  port?: number;
  /** Top-level runtime.yaml sections replacing the generated ones (e.g. `plugins`, `payouts`). */
  extraConfig?: Record<string, unknown>;
  masterKey: string;
  /** Admin API key accepted from boot (SB_BOOTSTRAP_ADMIN_KEY). */
  adminKey: string;
  /** Partitions of the topics the runtime creates. Default 6. */
  partitions?: number;
  /** Run the compiled build as `npm run runtime:prod` does (`npm run build` first) instead of the TypeScript sources. */
  compiled?: boolean;
}

/**
 * A runtime as operators run it: its own Node process (`apps/runtime/src/main.ts`, or the compiled
 * build) with a runtime.yaml written for the test, on Kafka and PostgreSQL. Tests kill it for real (SIGKILL).
 */
export class RuntimeProcess {
  private output = '';
  private exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly adminKey: string,
    startOutput: string,
  ) {
    this.output = startOutput;
    child.stdout?.on('data', (chunk: Buffer) => this.keep(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
    this.exited = new Promise((done) => {
      if (child.exitCode !== null) done(child.exitCode);
      else child.once('exit', (code) => done(code));
    });
  }

  /** Spawns the runtime and resolves once it listens and reports ready; rejects with its output otherwise. */
  static async start(options: RuntimeProcessOptions, timeoutMs = 90_000): Promise<RuntimeProcess> {
    const configDir = mkdtempSync(join(tmpdir(), `sb-runtime-${options.name}-`));
    const configPath = join(configDir, 'runtime.yaml');
    writeFileSync(configPath, runtimeYaml(options));
    const child = spawn(process.execPath, runtimeArguments(options.compiled ?? false), {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        SB_CONFIG: configPath,
        SB_PORT: String(options.port ?? 0),
        ...(options.kafkaBrokers?.length ? { KAFKA_BROKERS: options.kafkaBrokers.join(',') } : {}),
        DATABASE_URL: options.database.url,
        SB_DB_SCHEMA: options.database.schema,
        SB_MASTER_KEY: options.masterKey,
        SB_BOOTSTRAP_ADMIN_KEY: options.adminKey,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => fail(new Error(`no "listening on" line within ${timeoutMs} ms`)), timeoutMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) finish(() => resolveUrl(match[1]!));
      };
      const onExit = (code: number | null): void => fail(new Error(`exited with code ${code} during start`));
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        child.off('exit', onExit);
        settle();
      };
      const fail = (error: Error): void => {
        finish(() => reject(new Error(`runtime ${options.name}: ${error.message}\n${output.slice(-4000)}`)));
        child.kill('SIGKILL');
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', onExit);
    });
    const runtime = new RuntimeProcess(options.name, child, url, options.adminKey, output);
    await eventually(async () => (await fetch(`${url}/health/ready`)).status === 200, timeoutMs, `runtime ${options.name} to report ready`);
    return runtime;
  }

  /** Calls the admin API with the admin key; answers status and parsed JSON body. */
  async api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'x-api-key': this.adminKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Kills the process without warning (no shutdown hooks, nothing flushed or committed). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Graceful stop (SIGTERM): in-flight events finish and commit; SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited.finally(() => clearTimeout(timer));
  }

  /** The last lines the process wrote, for failure messages. */
  recentOutput(chars = 4000): string {
    return this.output.slice(-chars);
  }

  private keep(chunk: Buffer): void {
    // Bounded: a long soak must not grow the test runner's memory.
    this.output = (this.output + chunk.toString('utf8')).slice(-64_000);
  }
}

/** Node's arguments: those of the `runtime:prod` script (compiled build, its V8 flags included) or the TypeScript start. */
function runtimeArguments(compiled: boolean): string[] {
  if (!compiled) return ['-r', '@swc-node/register', 'apps/runtime/src/main.ts'];
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string | undefined> };
  const [command, ...args] = (manifest.scripts['runtime:prod'] ?? '').trim().split(/\s+/);
  if (command !== 'node') throw new Error(`package.json runtime:prod must start with "node", got "${manifest.scripts['runtime:prod']}"`);
  return args;
}

function runtimeYaml(options: RuntimeProcessOptions): string {
  const brokers = options.kafkaBrokers ?? [];
  return JSON.stringify(
    {
      mode: 'demo',
      server: { host: '127.0.0.1', port: 0 },
      bus:
        brokers.length > 0
          ? { transport: 'kafka', kafka: { brokers, clientId: `sb-${options.name}`, partitions: options.partitions ?? 6, replicationFactor: 1 } }
          : { transport: 'memory' },
      flows: { dir: options.flowsDir, mappingsDir: options.mappingsDir, hotReload: false },
      plugins: options.shopUrl === undefined ? [] : [{ module: TEST_SHOP, baseUrl: options.shopUrl, http: { breaker: { halfOpenAfterMs: 300 } } }],
      ...options.extraConfig,
    },
    null,
    2,
  );
}
