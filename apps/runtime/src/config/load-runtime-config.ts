import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { toEngineConfig } from '../reconciliation/reconciliation-engine-config';
import { RuntimeConfig } from './runtime-config';

/** One problem with the configuration, located in the file or the environment variable it came from. */
export class RuntimeConfigError extends Error {
  override readonly name = 'RuntimeConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid runtime configuration:\n  ${problems.join('\n  ')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Environment variables the runtime honours, each overriding one setting. */
const ENV_OVERRIDES: Array<{ name: string; path: string[]; parse?: (raw: string) => unknown }> = [
  { name: 'SB_MODE', path: ['mode'] },
  { name: 'SB_HOST', path: ['server', 'host'] },
  { name: 'SB_PORT', path: ['server', 'port'], parse: Number },
  { name: 'DATABASE_URL', path: ['database', 'url'] },
  { name: 'SB_DB_SCHEMA', path: ['database', 'schema'] },
  { name: 'SB_DATA_DIR', path: ['database', 'embedded', 'dataDir'] },
  { name: 'SB_FLOWS_DIR', path: ['flows', 'dir'] },
  { name: 'SB_MAPPINGS_DIR', path: ['flows', 'mappingsDir'] },
  { name: 'SB_MASTER_KEY', path: ['masterKey'] },
  { name: 'SB_BOOTSTRAP_ADMIN_KEY', path: ['access', 'bootstrapAdminKey'] },
  { name: 'SB_ALERT_WEBHOOK_URL', path: ['alerts', 'webhookUrl'] },
  { name: 'LOG_LEVEL', path: ['logLevel'] },
];

/**
 * Reads the YAML file (if it exists), applies environment overrides and validates the result.
 * Throws RuntimeConfigError naming each bad setting with its file:line or environment variable.
 */
export function loadRuntimeConfig(file: string | undefined, env: Env): RuntimeConfig {
  const lineCounter = new LineCounter();
  let document: Document | undefined;
  let raw: Record<string, unknown> = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new RuntimeConfigError([`${file}: cannot read (${(error as Error).message})`]);
    }
    document = parseDocument(text, { lineCounter, prettyErrors: false });
    if (document.errors.length > 0) {
      throw new RuntimeConfigError(
        document.errors.map((e) => `${file}:${lineCounter.linePos(e.pos[0]).line} ${e.message.split('\n')[0]}`),
      );
    }
    const parsed: unknown = document.toJS() ?? {};
    if (typeof parsed !== 'object' || Array.isArray(parsed) || parsed === null) {
      throw new RuntimeConfigError([`${file}:1 the file must hold a mapping of settings`]);
    }
    raw = parsed as Record<string, unknown>;
  }

  const fromEnv = new Map<string, string>();
  for (const override of ENV_OVERRIDES) {
    const value = env[override.name];
    if (value === undefined || value === '') continue;
    setPath(raw, override.path, override.parse ? override.parse(value) : value);
    fromEnv.set(override.path.join('.'), override.name);
  }
  const brokers = env.KAFKA_BROKERS;
  if (brokers !== undefined && brokers !== '') {
    setPath(raw, ['bus', 'transport'], 'kafka');
    setPath(raw, ['bus', 'kafka', 'brokers'], brokers.split(',').map((b) => b.trim()));
    fromEnv.set('bus.kafka.brokers', 'KAFKA_BROKERS');
  }

  const config = plainToInstance(RuntimeConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true, forbidNonWhitelisted: true });
  const problems = flatten(errors).map(({ path, message }) => {
    const source = fromEnv.get(path);
    if (source !== undefined) return `env ${source} (${path}): ${message}`;
    return `${locate(file, document, lineCounter, path)} ${path}: ${message}`;
  });
  if (config.bus.transport === 'kafka' && config.bus.kafka.brokers.length === 0) {
    problems.push('bus.kafka.brokers: the kafka transport needs at least one broker (or set KAFKA_BROKERS)');
  }
  if (config.mode === 'production' && config.masterKey === undefined) {
    problems.push('env SB_MASTER_KEY: required in production mode (32 random bytes, base64) to encrypt secrets at rest');
  }
  if (config.masterKey !== undefined && Buffer.from(config.masterKey, 'base64').length !== 32) {
    problems.push('env SB_MASTER_KEY: must be 32 bytes encoded as base64 (e.g. `openssl rand -base64 32`)');
  }
  problems.push(...payoutsProblems(config));
  if (problems.length === 0) {
    try {
      // Cross-field rules (reviewThreshold ≤ autoPostThreshold, decimal tolerances) are the engine's own.
      toEngineConfig(config.reconciliation);
    } catch (error) {
      problems.push(`${locate(file, document, lineCounter, 'reconciliation')} reconciliation: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new RuntimeConfigError(problems);
  return config;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function flatten(errors: ValidationError[], prefix = ''): Array<{ path: string; message: string }> {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      path,
      message: message.replace(/^property \S+ should not exist$/, 'unknown setting'),
    }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

function locate(file: string | undefined, document: Document | undefined, lines: LineCounter, path: string): string {
  if (file === undefined || document === undefined) return '(defaults)';
  const segments = path.split('.');
  // Point at the deepest node that exists: a missing setting is reported at its parent.
  for (let depth = segments.length; depth > 0; depth--) {
    const parent = depth > 1 ? document.getIn(segments.slice(0, depth - 1), true) : document.contents;
    if (!isMap(parent)) continue;
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === segments[depth - 1]);
    const offset = (pair?.key as { range?: [number, number] } | undefined)?.range?.[0];
    if (offset !== undefined) return `${file}:${lines.linePos(offset).line}`;
  }
  return `${file}:1`;
}

/** Rules of the `payouts:` section that span fields or free-form maps (decorators cannot say them). */
function payoutsProblems(config: RuntimeConfig): string[] {
  const payouts = config.payouts;
  const problems: string[] = [];
  if (payouts.enabled && payouts.account === undefined) {
    problems.push('payouts.account: required when payouts.enabled is true (the Payoneer program id the queues pay from)');
  }
  for (const [currency, amount] of Object.entries(payouts.adminApprovalAbove ?? {})) {
    if (!/^[A-Z]{3}$/.test(currency)) problems.push(`payouts.adminApprovalAbove.${currency}: not an ISO-4217 currency code`);
    if (typeof amount !== 'string' || !/^\d{1,15}(\.\d{1,2})?$/.test(amount)) {
      problems.push(`payouts.adminApprovalAbove.${currency}: must be a decimal string such as "10000.00", got ${JSON.stringify(amount)}`);
    }
  }
  if (payouts.retry.initialDelayMs > payouts.retry.maxDelayMs) {
    problems.push('payouts.retry.initialDelayMs: must not exceed payouts.retry.maxDelayMs');
  }
  return problems;
}
