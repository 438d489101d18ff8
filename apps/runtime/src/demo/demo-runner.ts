import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConnectorPluginError } from '@switchboard/connector-sdk';
import { FxRateRepository, SecretStore } from '@switchboard/persistence';
import {
  SANDBOX_SIGNATURE_HEADER,
  signSandboxPayload,
  startSandbox,
  type SandboxHandle,
} from '../../../sandbox/src';
import { loadRuntimeConfig } from '../config/load-runtime-config';
import type { PluginConfig, RuntimeConfig } from '../config/runtime-config';
import { ConnectorRegistry } from '../connectors/connector-registry.service';
import { FlowRegistry } from '../flows/flow-registry.service';
import { startRuntime, type RunningRuntime } from '../runtime';

/** The systems the sandbox simulates, each with the connector folder that speaks to it. */
const DEMO_SYSTEMS = ['clarity', 'payoneer', 'erp'] as const;
type DemoSystem = (typeof DEMO_SYSTEMS)[number];
/** Systems that push events to the runtime (the sandbox's webhook publishers). */
const PUBLISHING_SYSTEMS: readonly string[] = ['clarity', 'payoneer'];
/**
 * Payoneer posts each notification type to its own URL, and the connector groups them into fewer
 * events: which sandbox notifications go to which `/hooks/payoneer/<event>`. Other events keep their name.
 */
const SANDBOX_EVENTS: Record<string, Record<string, string[]>> = {
  payoneer: {
    'payout.status_updated': [
      'PaymentRequestAccepted',
      'SentToBank',
      'AccountCardLoaded',
      'CancelPayout',
    ],
    'payee.status_updated': ['PayeeApproved', 'PayeeDeclined'],
    'payment.received': ['PaymentReceived'],
  },
};

export interface DemoTraffic {
  ordersPerSecond: number;
  /** Upper bound on orders the sandbox creates, so a forgotten demo does not grow forever. */
  maxOrders: number;
  paidRatio: number;
}

export interface DemoOptions {
  /** Runtime config file; default config/runtime.yaml. */
  configFile?: string;
  /** Environment the config reads (DATABASE_URL, KAFKA_BROKERS, SB_PORT…); default process.env. */
  env?: Record<string, string | undefined>;
  /** Runtime HTTP port (0 = any free one); default from the config. */
  port?: number;
  /** Sandbox HTTP port; default 4010 (0 = any free one). */
  sandboxPort?: number;
  /** Last word on the config before boot (tests point the database at their own schema). */
  configure?: (config: RuntimeConfig) => void;
  /** Admin key to sign in with; default one kept in `<data dir>/../demo-admin-key`. */
  adminKey?: string;
  /** Order traffic through the sandbox; false for none. */
  traffic?: DemoTraffic | false;
  /** Send one malformed (but correctly signed) Clarity order, so the DLQ has something to show. */
  poisonOrder?: boolean;
  /** Silence Nest's logs (tests). */
  quiet?: boolean;
  /** Where the demo narrates what it does; default stdout. */
  log?: (line: string) => void;
}

export interface RunningDemo {
  runtime: RunningRuntime;
  sandbox: SandboxHandle;
  dashboardUrl: string;
  adminKey: string;
  /** Capabilities the demo could not switch on, each with the reason (shown at start). */
  missing: string[];
  close(): Promise<void>;
}

const DEFAULT_TRAFFIC: DemoTraffic = { ordersPerSecond: 1, maxOrders: 600, paidRatio: 0.7 };

/**
 * The guided demo: sandbox + runtime + demo traffic on embedded defaults. Connectors and flows are
 * used as far as they exist in this checkout; whatever is missing is said, not faked.
 */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const log = options.log ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const missing: string[] = [];
  const sandbox = await startSandbox({ port: options.sandboxPort ?? 4010, seed: 42 });
  let runtime: RunningRuntime | undefined;
  try {
    const config = loadRuntimeConfig(
      options.configFile ?? 'config/runtime.yaml',
      options.env ?? process.env,
    );
    if (options.port !== undefined) config.server.port = options.port;
    if (config.plugins.length === 0) {
      config.plugins = sandboxPlugins(sandbox, missing);
      // With the whole sandbox wired, the demo shows payments reconciled into the ERP too.
      const wired = config.plugins.map((plugin) => basename(plugin.module));
      config.reconciliation.enabled ||= wired.includes('clarity') && wired.includes('erp');
      // ...and mass payouts of Clarity commissions from the sandbox's Payoneer program.
      if (!config.payouts.enabled && wired.includes('clarity') && wired.includes('payoneer')) {
        config.payouts.enabled = true;
        config.payouts.account ??= sandbox.credentials.payoneer.programId;
      }
    }
    // The sandbox starts empty every run; on the embedded database the runtime does too (a schema
    // per run, the previous runs' dropped once this one is up), so no state of a former sandbox
    // lingers: its order and commission ids come back with the same numbers.
    const freshSchema = config.database.url === undefined && config.database.schema === undefined;
    if (freshSchema) config.database.schema = `${DEMO_SCHEMA_PREFIX}${Date.now()}`;
    const adminKey = options.adminKey ?? config.access.bootstrapAdminKey ?? demoAdminKey(config);
    config.access.bootstrapAdminKey = adminKey;
    options.configure?.(config);
    runtime = await startWithLoadablePlugins(config, options.quiet ?? false, missing);

    if (freshSchema) await dropFormerDemoSchemas(runtime, config.database.schema!);
    const connectors = runtime.app.get(ConnectorRegistry);
    await setSandboxSecrets(runtime.app.get(SecretStore), connectors, sandbox, missing);
    await seedSandboxRates(new FxRateRepository(runtime.dataSource));
    // Seeding resets the sandbox (webhook subscriptions included), so it goes first.
    await post(`${sandbox.urls.control}/scenarios/merchant`, {});
    const subscribed = await subscribeWebhooks(
      sandbox,
      runtime.url,
      connectors,
      webhookFlowEvents(runtime.app.get(FlowRegistry)),
      missing,
    );
    if (options.poisonOrder !== false)
      await sendPoisonOrder(sandbox, runtime.url, subscribed, missing, log);
    const traffic = options.traffic ?? DEFAULT_TRAFFIC;
    if (traffic !== false) await post(`${sandbox.urls.control}/traffic`, traffic);
    if (subscribed.length === 0)
      missing.push(
        'demo traffic: no connector receives sandbox webhooks, so orders stay in the sandbox',
      );

    const running = runtime;
    const dashboardUrl = `${running.url}/`;
    log(
      [
        '',
        'Switchboard demo is running',
        `  dashboard   ${dashboardUrl}   (sign in with the admin key below)`,
        `  admin key   ${adminKey}`,
        `  admin API   ${running.url}/api/flows   (x-api-key: <admin key>; OpenAPI ${running.url}/api/docs)`,
        `  sandbox     ${sandbox.url}   (control API ${sandbox.urls.control}, docs ${sandbox.urls.docs})`,
        `  bus         ${running.bus.transport}${running.bus.durable ? '' : ' (in-memory, not durable)'}`,
        `  traffic     ${traffic === false ? 'off' : `${traffic.ordersPerSecond} order/s, at most ${traffic.maxOrders}`}; webhooks: ${subscribed.join(', ') || 'none'}`,
        ...(missing.length === 0
          ? []
          : ['  not available in this build:', ...missing.map((line) => `    - ${line}`)]),
        '  docs/tour.md walks through it; Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
    let closed = false;
    return {
      runtime: running,
      sandbox,
      dashboardUrl,
      adminKey,
      missing,
      close: async () => {
        if (closed) return;
        closed = true;
        await running.close();
        await sandbox.close();
      },
    };
  } catch (error) {
    await runtime?.close();
    await sandbox.close();
    throw error;
  }
}

/** A plugin entry per connector folder that exists, pointed at its simulator. */
function sandboxPlugins(sandbox: SandboxHandle, missing: string[]): PluginConfig[] {
  const plugins: PluginConfig[] = [];
  for (const system of DEMO_SYSTEMS) {
    const folder = join('connectors', system);
    if (!existsSync(folder)) {
      missing.push(`${system}: no connector in ${folder}/`);
      continue;
    }
    plugins.push({
      module: folder,
      baseUrl: sandbox.urls[system],
      settings: sandboxSettings(system, sandbox),
    });
  }
  return plugins;
}

/** Settings that fit the simulators (docs/sandbox.md): the Payoneer program, the ERP's demo company and chart. */
function sandboxSettings(
  system: DemoSystem,
  sandbox: SandboxHandle,
): Record<string, unknown> | undefined {
  if (system === 'payoneer')
    return {
      programId: sandbox.credentials.payoneer.programId,
      accountId: sandbox.credentials.payoneer.accountId,
    };
  if (system === 'erp') {
    return {
      company: 'Switchboard Demo Merchant',
      companyCurrency: 'USD',
      costCenter: 'Main - SDM',
      accounts: {
        receivable: 'Debtors - SDM',
        payoneerClearing: 'Payoneer Clearing - SDM',
        revenue: 'Sales - SDM',
        feesExpense: 'Payoneer Fees - SDM',
        fxGainLoss: 'Exchange Gain/Loss - SDM',
      },
    };
  }
  return undefined;
}

/** Boots the runtime; a plugin that fails to load is dropped (and reported) instead of failing the demo. */
async function startWithLoadablePlugins(
  config: RuntimeConfig,
  quiet: boolean,
  missing: string[],
): Promise<RunningRuntime> {
  for (;;) {
    try {
      return await startRuntime(config, { quiet });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A plugin error names its folder; a settings error names the connector id (= the folder name here).
      const broken = config.plugins.find(
        (plugin) =>
          (error instanceof ConnectorPluginError && plugin.module === error.origin) ||
          message.includes(`connector "${basename(plugin.module)}"`),
      );
      if (broken === undefined) throw error;
      missing.push(`${broken.module}: does not load (${message.split('\n')[0]})`);
      config.plugins = config.plugins.filter((plugin) => plugin !== broken);
    }
  }
}

/** Stores the sandbox's (sandbox-only) credentials under the names each loaded connector asks for. */
async function setSandboxSecrets(
  secrets: SecretStore,
  connectors: ConnectorRegistry,
  sandbox: SandboxHandle,
  missing: string[],
): Promise<void> {
  for (const { definition } of connectors.list()) {
    const names = new Set<string>(definition.auth.secretNames);
    for (const trigger of definition.triggers)
      if (trigger.kind === 'webhook') names.add(trigger.secretName);
    for (const name of names) {
      const value = sandboxSecret(definition.id, name, sandbox);
      if (value === undefined) {
        missing.push(
          `${definition.id}: no sandbox value for secret "${name}" (set it with PUT /api/secrets/${definition.id}.${name})`,
        );
        continue;
      }
      await secrets.set(`${definition.id}.${name}`, value, { source: 'demo: sandbox credentials' });
    }
  }
}

/** The sandbox's own USD rates (apps/sandbox/src/common/fx-rates.ts): fees and sales in EUR or GBP convert to the ERP's USD books. */
const SANDBOX_USD_RATES: Record<string, string> = {
  EUR: '1.085',
  GBP: '1.27',
  CAD: '0.735',
  AUD: '0.66',
};

/** Adds the sandbox's rates to the runtime's rate table ($fx), where no rate is configured yet. */
async function seedSandboxRates(rates: FxRateRepository): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  for (const [currency, rate] of Object.entries(SANDBOX_USD_RATES)) {
    if ((await rates.findValid(currency, 'USD', today)) !== undefined) continue;
    await rates.add({ fromCurrency: currency, toCurrency: 'USD', rate, validFrom: '2000-01-01' });
  }
}

function sandboxSecret(
  connectorId: string,
  name: string,
  sandbox: SandboxHandle,
): string | undefined {
  const wanted = name.toLowerCase();
  if (/webhook|ipcn|notification|signing/.test(wanted)) return sandbox.webhookSecret;
  const { clarity, payoneer, erp } = sandbox.credentials;
  if (connectorId === 'clarity') {
    if (wanted.includes('user')) return clarity.username;
    if (wanted.includes('password')) return clarity.password;
    if (wanted.includes('key')) return clarity.apiKey;
  }
  if (connectorId === 'payoneer') {
    if (wanted === 'clientid') return payoneer.clientId;
    if (wanted === 'clientsecret') return payoneer.clientSecret;
    if (wanted.includes('program')) return payoneer.programId;
    if (wanted.includes('account')) return payoneer.accountId;
  }
  if (connectorId === 'erp') {
    if (wanted.includes('secret')) return erp.apiSecret;
    if (wanted.includes('key')) return erp.apiKey;
    if (wanted.includes('token')) return `${erp.apiKey}:${erp.apiSecret}`;
  }
  return undefined;
}

const DEMO_SCHEMA_PREFIX = 'sb_demo_';

async function dropFormerDemoSchemas(runtime: RunningRuntime, current: string): Promise<void> {
  const former = await runtime.dataSource.query<Array<{ name: string }>>(
    `SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1) AND nspname <> $2`,
    [DEMO_SCHEMA_PREFIX, current],
  );
  for (const { name } of former) await runtime.dataSource.query(`DROP SCHEMA "${name}" CASCADE`);
}

/** `<connector>/<event>` of every loaded flow with a webhook trigger. */
function webhookFlowEvents(flows: FlowRegistry): Set<string> {
  const events = new Set<string>();
  for (const flow of flows.list()) {
    const webhook = flow.definition.trigger.webhook;
    if (webhook !== undefined) events.add(`${webhook.connector}/${webhook.event}`);
  }
  return events;
}

/**
 * Points each sandbox publisher event a loaded connector understands, and a flow listens to, at
 * the runtime's ingress (an event no flow takes would only be refused with 404 and retried).
 */
async function subscribeWebhooks(
  sandbox: SandboxHandle,
  runtimeUrl: string,
  connectors: ConnectorRegistry,
  listened: Set<string>,
  missing: string[],
): Promise<string[]> {
  const subscribed: string[] = [];
  for (const system of PUBLISHING_SYSTEMS) {
    const events = connectors.events(system);
    if (events === undefined) continue;
    if (events.length === 0) missing.push(`${system}: the connector has no webhook trigger`);
    for (const event of events.filter((candidate) => listened.has(`${system}/${candidate}`))) {
      const response = await fetch(`${sandbox.urls.control}/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          system,
          url: `${runtimeUrl}/hooks/${system}/${encodeURIComponent(event)}`,
          events: SANDBOX_EVENTS[system]?.[event] ?? [event],
        }),
      });
      if (response.ok) subscribed.push(`${system} ${event}`);
      else
        missing.push(
          `${system} ${event}: the sandbox refused the subscription (HTTP ${response.status} ${await response.text()})`,
        );
    }
  }
  return subscribed;
}

/** One signed order the mapping cannot take: it ends in the DLQ, where the tour replays it. */
async function sendPoisonOrder(
  sandbox: SandboxHandle,
  runtimeUrl: string,
  subscribed: string[],
  missing: string[],
  log: (line: string) => void,
): Promise<void> {
  if (!subscribed.includes('clarity order.created')) {
    missing.push('poison order: needs the clarity connector with an order.created webhook');
    return;
  }
  const rawBody = JSON.stringify({
    EventID: `demo-poison-${Date.now()}`,
    EventType: 'order.created',
    OccurredAt: new Date().toISOString(),
    Data: {
      SalesOrder: { ID: 999999, CustomKey: 'DEMO-POISON', StatusKey: 'Teleported', Totals: null },
    },
  });
  const response = await fetch(`${runtimeUrl}/hooks/clarity/order.created`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SANDBOX_SIGNATURE_HEADER]: signSandboxPayload(
        sandbox.webhookSecret,
        rawBody,
        Math.floor(Date.now() / 1000),
      ),
    },
    body: rawBody,
  });
  log(`demo: sent a malformed Clarity order (DEMO-POISON) for the DLQ: HTTP ${response.status}`);
}

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`demo: POST ${url} answered HTTP ${response.status}: ${await response.text()}`);
}

/** The demo's admin key, kept beside the embedded database so every start prints the same one. */
function demoAdminKey(config: RuntimeConfig): string {
  const file = join(dirname(resolve(config.database.embedded.dataDir)), 'demo-admin-key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `sb_${randomBytes(32).toString('base64url')}`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}
