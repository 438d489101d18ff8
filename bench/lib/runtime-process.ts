import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import ts from 'typescript';
import { spawnListening, stopChild } from './listening-process';

/**
 * How the runtime is started: `dist` runs the compiled build the way the revision's
 * `npm run runtime:prod` does; `ts` runs `npm run runtime` (TypeScript compiled at load by swc).
 */
export type RuntimeFrom = 'dist' | 'ts';

/** The revision's production start: `dist` when its package.json has a `runtime:prod` script, else `ts`. */
export function productionRuntimeFrom(root: string): RuntimeFrom {
  return productionScript(root) === undefined ? 'ts' : 'dist';
}

/** Builds the revision (`npm run build`) so `dist` runs its current sources, not a stale build. */
export function buildRuntime(root: string): void {
  process.stdout.write(`building ${root} (npm run build) for --runtime-from dist\n`);
  execFileSync('npm', ['run', '--silent', 'build'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** How the benchmarked runtime is started. */
export interface RuntimeProcessOptions {
  /** Repository root the runtime runs from (another revision's checkout in compare mode). */
  root: string;
  sinkUrl: string;
  databaseUrl: string;
  /** Kafka brokers for the durable mode; undefined runs the memory bus. */
  kafkaBrokers: string | undefined;
  webhookSecret: string;
  /** Compiled build (`buildRuntime` first) or TypeScript sources. */
  from: RuntimeFrom;
  /** Extra node flags before the entry file, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** A diagnostic module loaded before the runtime (`-r`); TypeScript is compiled for the `dist` start, not given a loader. */
  preload?: string;
}

/**
 * The runtime as users run it (`npm run runtime:prod`, or `npm run runtime` from TypeScript) in its
 * own process, with the bench connector and flow, a fresh database schema, and the webhook secret set.
 */
export class RuntimeProcess {
  readonly schema: string;
  /** Admin API key accepted from boot; revisions without API keys ignore it. */
  private readonly adminKey: string;
  /** Instances sharing a database must share the key its secrets are encrypted with. */
  private readonly masterKey: string;
  private configFile: string | undefined;
  private child: ChildProcess | undefined;
  url = '';

  /**
   * With `peer`, another instance of the same deployment: same database schema, keys and
   * configuration (so the same flow, topics and consumer group), its own process and port.
   * Start the peer first and stop it last.
   */
  constructor(
    private readonly options: RuntimeProcessOptions,
    private readonly peer?: RuntimeProcess,
  ) {
    this.schema = peer?.schema ?? `sb_bench_${randomBytes(4).toString('hex')}`;
    this.adminKey = peer?.adminKey ?? `sb_bench_${randomBytes(16).toString('hex')}`;
    this.masterKey = peer?.masterKey ?? randomBytes(32).toString('base64');
  }

  get pid(): number {
    if (this.child?.pid === undefined) throw new Error('the runtime process is not running');
    return this.child.pid;
  }

  /** Starts the runtime, waits until it listens, and stores the webhook secret through the admin API (once per deployment). */
  async start(): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
    this.configFile = this.peer?.configFile ?? this.writeConfig(dir);
    const preload =
      this.options.preload === undefined
        ? []
        : [
            '-r',
            this.options.from === 'dist'
              ? compiledPreload(dir, this.options.preload)
              : this.options.preload,
          ];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // A compiled preload in the temporary folder finds its packages (kafkajs, …) in the checkout's.
      ...(this.options.from === 'dist'
        ? { NODE_PATH: join(this.options.root, 'node_modules') }
        : {}),
      SB_CONFIG: this.configFile,
      DATABASE_URL: this.options.databaseUrl,
      SB_DB_SCHEMA: this.schema,
      SB_MASTER_KEY: this.masterKey,
      LOG_LEVEL: 'warn',
      SB_BOOTSTRAP_ADMIN_KEY: this.adminKey,
      KAFKA_BROKERS: this.options.kafkaBrokers ?? '',
    };
    const started = await spawnListening(
      runtimeArguments(this.options.root, this.options.from, [
        ...(this.options.nodeFlags ?? []),
        ...preload,
      ]),
      {
        name: 'runtime',
        cwd: this.options.root,
        env,
      },
    );
    this.child = started.child;
    this.url = started.url;
    if (this.peer !== undefined) return;
    const response = await fetch(`${this.url}/api/secrets/bench-shop.webhookSecret`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': this.adminKey },
      body: JSON.stringify({ value: this.options.webhookSecret }),
    });
    if (response.status !== 200)
      throw new Error(
        `storing the webhook secret failed: HTTP ${response.status} ${await response.text()}`,
      );
  }

  /** The runtime's configuration, flow and (for `dist`) compiled bench plugin in `dir`; returns the config file. */
  private writeConfig(dir: string): string {
    const benchDir = resolve(__dirname, '..');
    const configFile = join(dir, 'runtime.yaml');
    // A fresh flow id per run gives fresh topics and consumer group: no backlog of an earlier run is measured.
    const flowsDir = join(dir, 'flows');
    mkdirSync(flowsDir);
    const flow = readFileSync(join(benchDir, 'fixtures/flows/bench-order-to-sink.yaml'), 'utf8');
    writeFileSync(
      join(flowsDir, 'bench-order-to-sink.yaml'),
      flow.replace(
        /^id: bench-order-to-sink$/m,
        `id: bench-order-to-sink-${this.schema.slice(-8)}`,
      ),
    );
    // The load comes from one address: the per-address ingress limit would measure itself (revisions without it reject the setting).
    const hasRateLimits = readFileSync(
      join(this.options.root, 'apps/runtime/src/config/runtime-config.ts'),
      'utf8',
    ).includes('class RateLimitConfig');
    writeFileSync(
      configFile,
      [
        'mode: demo',
        'server: { host: 127.0.0.1, port: 0 }',
        ...(hasRateLimits ? ['access: { rateLimit: { ingress: 0 } }'] : []),
        `flows: { dir: ${JSON.stringify(flowsDir)}, mappingsDir: ${JSON.stringify(join(this.options.root, 'mappings'))}, hotReload: false }`,
        'plugins:',
        `  - module: ${JSON.stringify(this.options.from === 'dist' ? compiledBenchPlugin(dir, this.options.root) : join(benchDir, 'fixtures/connectors/bench-shop'))}`,
        `    baseUrl: ${this.options.sinkUrl}`,
        '',
      ].join('\n'),
    );
    return configFile;
  }

  /** Stops the runtime (SIGTERM, then SIGKILL after 20 s) and, unless it is a peer, drops its schema. */
  async stop(): Promise<void> {
    await stopChild(this.child);
    if (this.peer !== undefined) return;
    const client = new Client({ connectionString: this.options.databaseUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    } finally {
      await client.end();
    }
  }
}

function productionScript(root: string): string | undefined {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return manifest.scripts?.['runtime:prod'];
}

/** Node's arguments: the revision's `runtime:prod` (its V8 flags included) or the TypeScript start, with `extraFlags` before the entry. */
function runtimeArguments(root: string, from: RuntimeFrom, extraFlags: string[]): string[] {
  if (from === 'ts') return ['-r', '@swc-node/register', ...extraFlags, 'apps/runtime/src/main.ts'];
  const script = productionScript(root);
  if (script === undefined)
    throw new Error(
      `${root} has no runtime:prod script (no compiled start): run it with --runtime-from ts`,
    );
  const words = script.trim().split(/\s+/);
  const entry = words.at(-1)!;
  if (words[0] !== 'node' || !entry.endsWith('.js'))
    throw new Error(
      `runtime:prod must read "node [flags] <entry>.js" for the bench to run it, got "${script}"`,
    );
  if (!existsSync(join(root, entry)))
    throw new Error(`${join(root, entry)} is missing: build first (npm run build)`);
  return [...words.slice(1, -1), ...extraFlags, entry];
}

/** One TypeScript file compiled to CommonJS JavaScript at `target` (type-only syntax removed). */
function transpile(source: string, target: string): void {
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, outputText);
}

/** A TypeScript preload compiled into `dir`, so the compiled runtime needs no TypeScript loader for it (a JavaScript one as is). */
function compiledPreload(dir: string, preload: string): string {
  if (!preload.endsWith('.ts')) return preload;
  const target = join(dir, 'preload', basename(preload).replace(/\.ts$/, '.js'));
  transpile(preload, target);
  return target;
}

/**
 * The bench connector compiled to JavaScript like a third-party plugin package, in `dir`, with the
 * runtime's compiled SDK as its `@switchboard/connector-sdk` (one module instance with the runtime's).
 */
function compiledBenchPlugin(dir: string, root: string): string {
  const pluginDir = join(dir, 'plugins/bench-shop');
  transpile(
    join(__dirname, '../fixtures/connectors/bench-shop/index.ts'),
    join(pluginDir, 'index.js'),
  );
  const sdk = join(dir, 'node_modules/@switchboard/connector-sdk');
  mkdirSync(dirname(sdk), { recursive: true });
  symlinkSync(join(root, 'dist/libs/connector-sdk/src'), sdk, 'dir');
  return pluginDir;
}
