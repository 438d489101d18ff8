import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EventBus } from '@switchboard/event-bus';
import { loadRuntimeConfig } from '../../apps/runtime/src/config/load-runtime-config';
import type { RuntimeConfig } from '../../apps/runtime/src/config/runtime-config';
import { startRuntime, type RunningRuntime } from '../../apps/runtime/src/runtime';

const FIXTURES = resolve(__dirname, '../fixtures');

/** Admin API key every test runtime accepts (stored hashed at boot, as SB_BOOTSTRAP_ADMIN_KEY would be). */
export const TEST_ADMIN_KEY = 'sb_test-admin-key-for-e2e-suites-only';

/** Headers that authenticate a test request as the bootstrap admin. */
export const ADMIN_HEADERS: Record<string, string> = { 'x-api-key': TEST_ADMIN_KEY };

/** A copy of the fixture flows and mappings that a test may edit freely. */
export function copyFixtureFlows(set: 'runtime' | 'scheduled' = 'runtime'): {
  flowsDir: string;
  mappingsDir: string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'sb-flows-'));
  cpSync(join(FIXTURES, `${set}/flows`), join(dir, 'flows'), { recursive: true });
  cpSync(join(FIXTURES, 'runtime/mappings'), join(dir, 'mappings'), { recursive: true });
  return { flowsDir: join(dir, 'flows'), mappingsDir: join(dir, 'mappings') };
}

export interface HarnessOptions {
  database: { url: string; schema: string };
  flowsDir: string;
  mappingsDir: string;
  shopUrl: string;
  bus?: EventBus;
  masterKey: string;
}

/** Builds the runtime config a test boots with: real database, the test-shop plugin, random port. */
export function testRuntimeConfig(options: HarnessOptions): RuntimeConfig {
  const config = loadRuntimeConfig(undefined, {
    SB_MASTER_KEY: options.masterKey,
    LOG_LEVEL: 'warn',
  });
  config.server.port = 0;
  config.database.url = options.database.url;
  config.database.schema = options.database.schema;
  config.flows.dir = options.flowsDir;
  config.flows.mappingsDir = options.mappingsDir;
  config.access.bootstrapAdminKey = TEST_ADMIN_KEY;
  // A short breaker pause keeps the retry tests quick; the behaviour is the production one.
  config.plugins = [
    {
      module: join(FIXTURES, 'connectors/test-shop'),
      baseUrl: options.shopUrl,
      http: { breaker: { halfOpenAfterMs: 300 } },
    },
  ];
  return config;
}

export async function bootRuntime(options: HarnessOptions): Promise<RunningRuntime> {
  return startRuntime(testRuntimeConfig(options), { bus: options.bus, quiet: true });
}
