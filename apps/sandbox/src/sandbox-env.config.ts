import { type SandboxOptions, SandboxOptionsError } from './sandbox-options';

/** Seed scenario to load at start-up. */
export type StartupScenario = 'merchant' | 'none';

/** What `npm run sandbox` reads from the environment, once, at boot. */
export interface SandboxEnvConfig {
  options: SandboxOptions;
  scenario: StartupScenario;
}

/**
 * Reads SANDBOX_PORT (default 4010), SANDBOX_HOST, SANDBOX_SEED, SANDBOX_WEBHOOK_SECRET,
 * SANDBOX_PAYOUT_SETTLE_MS, SANDBOX_SCENARIO (merchant | none) and SANDBOX_LOG (true | false).
 * Unset credentials fall back to the SANDBOX-ONLY defaults in sandbox-options.ts.
 */
export function readSandboxEnv(env: NodeJS.ProcessEnv): SandboxEnvConfig {
  const scenario = env.SANDBOX_SCENARIO ?? 'merchant';
  if (scenario !== 'merchant' && scenario !== 'none')
    throw new SandboxOptionsError(
      `SANDBOX_SCENARIO must be "merchant" or "none", got "${scenario}"`,
    );
  return {
    scenario,
    options: {
      port: integer(env, 'SANDBOX_PORT') ?? 4010,
      host: env.SANDBOX_HOST ?? '127.0.0.1',
      seed: integer(env, 'SANDBOX_SEED'),
      webhookSecret: env.SANDBOX_WEBHOOK_SECRET,
      payoutSettleMs: integer(env, 'SANDBOX_PAYOUT_SETTLE_MS'),
      logger: (env.SANDBOX_LOG ?? 'true') === 'true',
    },
  };
}

function integer(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw))
    throw new SandboxOptionsError(`${name} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}
