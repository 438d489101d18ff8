import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SandboxHandle } from '../../apps/sandbox/src/index';
import type { PluginConfig } from '../../apps/runtime/src/config/runtime-config';
import type { AdminApi } from './http-clients';

const ROOT = resolve(__dirname, '../..');

export type SandboxSystem = 'clarity' | 'payoneer' | 'erp';

/** Quick back-offs keep retry tests short; the policy itself is the production one. */
export const FAST_RETRIES: NonNullable<PluginConfig['http']> = {
  retry: { initialDelayMs: 10, maxDelayMs: 50 },
};

/** The sandbox ERP's demo company and chart of accounts (docs/sandbox.md). */
export const SANDBOX_ERP_SETTINGS = {
  company: 'Switchboard Demo Merchant',
  costCenter: 'Main - SDM',
  accounts: {
    payoneerClearing: 'Payoneer Clearing - SDM',
    revenue: 'Sales - SDM',
    feesExpense: 'Payoneer Fees - SDM',
    fxGainLoss: 'Exchange Gain/Loss - SDM',
  },
};

/** A fresh folder holding copies of the shipped flows (`config/flows/<name>.yaml`) a suite runs. */
export function copyShippedFlows(prefix: string, flows: readonly string[]): string {
  const flowsDir = join(mkdtempSync(join(tmpdir(), prefix)), 'flows');
  mkdirSync(flowsDir);
  for (const flow of flows) {
    copyFileSync(join(ROOT, 'config/flows', `${flow}.yaml`), join(flowsDir, `${flow}.yaml`));
  }
  return flowsDir;
}

/** The repository's connector for `system`, pointed at the sandbox's simulator of it. */
export function sandboxPlugin(
  system: SandboxSystem,
  sandbox: SandboxHandle,
  http: PluginConfig['http'] = FAST_RETRIES,
): PluginConfig {
  const module = join(ROOT, 'connectors', system);
  if (system === 'clarity') {
    return { module, baseUrl: `${sandbox.url}/clarity`, settings: { apiFlavour: 'API' }, http };
  }
  if (system === 'payoneer') {
    const { programId, accountId } = sandbox.credentials.payoneer;
    return { module, baseUrl: sandbox.urls.payoneer, settings: { programId, accountId }, http };
  }
  return { module, baseUrl: sandbox.urls.erp, settings: SANDBOX_ERP_SETTINGS, http };
}

/**
 * Stores the sandbox's credentials for `systems` through the admin API (and their webhook
 * secrets with `webhooks`), failing the test on any answer but 200.
 */
export async function storeSandboxSecrets(
  api: AdminApi,
  sandbox: SandboxHandle,
  systems: readonly SandboxSystem[],
  options: { webhooks?: boolean } = {},
): Promise<void> {
  const { clarity, payoneer, erp } = sandbox.credentials;
  const secrets: Record<SandboxSystem, Record<string, string>> = {
    clarity: { 'clarity.username': clarity.username, 'clarity.password': clarity.password },
    payoneer: { 'payoneer.clientId': payoneer.clientId, 'payoneer.clientSecret': payoneer.clientSecret },
    erp: { 'erp.apiKey': erp.apiKey, 'erp.apiSecret': erp.apiSecret },
  };
  for (const system of systems) {
    const values = { ...secrets[system] };
    if (options.webhooks === true && system !== 'erp') values[`${system}.webhookSecret`] = sandbox.webhookSecret;
    for (const [name, value] of Object.entries(values)) {
      const answer = await api('PUT', `/api/secrets/${name}`, { value });
      expect(`${name}: ${answer.status}`).toBe(`${name}: 200`);
    }
  }
}
