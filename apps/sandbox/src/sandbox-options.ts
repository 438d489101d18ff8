import { type SandboxClockOptions } from './common/sandbox-clock';

/** Credentials the simulators accept. The defaults are SANDBOX-ONLY values, never real secrets. */
export interface SandboxCredentials {
  clarity: { username: string; password: string; apiKey: string };
  payoneer: { clientId: string; clientSecret: string; programId: string; accountId: string };
  erp: { apiKey: string; apiSecret: string };
}

/** Retry policy of the webhook publishers. */
export interface WebhookRetryOptions {
  /** Attempts per delivery including the first. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** How long one delivery attempt may take before it counts as failed. */
  timeoutMs: number;
}

/** What `startSandbox` accepts; every field has a sandbox default. */
export interface SandboxOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Seeds every simulated random choice (ids, tokens, fault probabilities, scenarios). */
  seed?: number;
  clock?: SandboxClockOptions;
  credentials?: {
    clarity?: Partial<SandboxCredentials['clarity']>;
    payoneer?: Partial<SandboxCredentials['payoneer']>;
    erp?: Partial<SandboxCredentials['erp']>;
  };
  /** Shared secret for webhook/notification signatures. */
  webhookSecret?: string;
  /** Simulated ms between payout acceptance and its final status. */
  payoutSettleMs?: number;
  /** Lifetime of Payoneer access tokens (the real one is 30 days). */
  payoneerTokenTtlSeconds?: number;
  /** Lifetime of a Clarity session (ss-id) since its last use. */
  claritySessionTtlSeconds?: number;
  webhookRetry?: Partial<WebhookRetryOptions>;
  /** Max items in one Payoneer mass-payout request. */
  payoutBatchLimit?: number;
  /** HTTP status of an accepted mass payout (sources disagree: 201 or 200). */
  payoutSubmitStatus?: 200 | 201;
  /** Opening Payoneer balances by currency, decimal strings. */
  initialBalances?: Record<string, string>;
  /** Share of each received payment Payoneer keeps as its fee, a decimal string. */
  receivedPaymentFeeRate?: string;
  /** Print Nest's request/boot logs. */
  logger?: boolean;
}

/** Options after defaults, as the services see them. */
export interface ResolvedSandboxOptions {
  port: number;
  host: string;
  seed: number;
  clock: SandboxClockOptions;
  credentials: SandboxCredentials;
  webhookSecret: string;
  payoutSettleMs: number;
  payoneerTokenTtlSeconds: number;
  claritySessionTtlSeconds: number;
  webhookRetry: WebhookRetryOptions;
  payoutBatchLimit: number;
  payoutSubmitStatus: 200 | 201;
  initialBalances: Record<string, string>;
  receivedPaymentFeeRate: string;
  logger: boolean;
}

/** SANDBOX-ONLY development credentials: they unlock nothing outside this simulator. */
export const SANDBOX_DEFAULT_CREDENTIALS: SandboxCredentials = {
  clarity: {
    username: 'sandbox-admin',
    password: 'sandbox-password',
    apiKey: 'sandbox-clarity-api-key',
  },
  payoneer: {
    clientId: 'sandbox-client-id',
    clientSecret: 'sandbox-client-secret',
    programId: '100000001',
    accountId: '5510700',
  },
  erp: { apiKey: 'sandbox-erp-key', apiSecret: 'sandbox-erp-secret' },
};

/** SANDBOX-ONLY default signing secret. */
export const SANDBOX_DEFAULT_WEBHOOK_SECRET = 'sandbox-webhook-secret';

/** Error for options that cannot run a sandbox; the message names the option. */
export class SandboxOptionsError extends Error {
  override readonly name = 'SandboxOptionsError';
}

/** Fills defaults and rejects values the sandbox cannot run with. */
export function resolveSandboxOptions(options: SandboxOptions = {}): ResolvedSandboxOptions {
  const resolved: ResolvedSandboxOptions = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    seed: options.seed ?? 42,
    clock: options.clock ?? {},
    credentials: {
      clarity: { ...SANDBOX_DEFAULT_CREDENTIALS.clarity, ...options.credentials?.clarity },
      payoneer: { ...SANDBOX_DEFAULT_CREDENTIALS.payoneer, ...options.credentials?.payoneer },
      erp: { ...SANDBOX_DEFAULT_CREDENTIALS.erp, ...options.credentials?.erp },
    },
    webhookSecret: options.webhookSecret ?? SANDBOX_DEFAULT_WEBHOOK_SECRET,
    payoutSettleMs: options.payoutSettleMs ?? 5_000,
    payoneerTokenTtlSeconds: options.payoneerTokenTtlSeconds ?? 2_592_000,
    claritySessionTtlSeconds: options.claritySessionTtlSeconds ?? 1_200,
    webhookRetry: {
      maxAttempts: 5,
      initialDelayMs: 500,
      maxDelayMs: 10_000,
      timeoutMs: 5_000,
      ...options.webhookRetry,
    },
    payoutBatchLimit: options.payoutBatchLimit ?? 500,
    payoutSubmitStatus: options.payoutSubmitStatus ?? 201,
    initialBalances: options.initialBalances ?? {
      USD: '100000.00',
      EUR: '20000.00',
      GBP: '10000.00',
    },
    receivedPaymentFeeRate: options.receivedPaymentFeeRate ?? '0.025',
    logger: options.logger ?? false,
  };
  checkInteger('port', resolved.port, 0, 65_535);
  checkInteger('seed', resolved.seed, 0, 2 ** 32 - 1);
  checkInteger('payoutSettleMs', resolved.payoutSettleMs, 0, 7 * 86_400_000);
  checkInteger('payoneerTokenTtlSeconds', resolved.payoneerTokenTtlSeconds, 1, 10 * 365 * 86_400);
  checkInteger('claritySessionTtlSeconds', resolved.claritySessionTtlSeconds, 1, 365 * 86_400);
  checkInteger('webhookRetry.maxAttempts', resolved.webhookRetry.maxAttempts, 1, 20);
  checkInteger('webhookRetry.initialDelayMs', resolved.webhookRetry.initialDelayMs, 0, 3_600_000);
  checkInteger('webhookRetry.maxDelayMs', resolved.webhookRetry.maxDelayMs, 0, 3_600_000);
  checkInteger('webhookRetry.timeoutMs', resolved.webhookRetry.timeoutMs, 1, 600_000);
  checkInteger('payoutBatchLimit', resolved.payoutBatchLimit, 1, 100_000);
  if (resolved.payoutSubmitStatus !== 200 && resolved.payoutSubmitStatus !== 201) {
    throw new SandboxOptionsError(
      `payoutSubmitStatus must be 200 or 201, got ${String(resolved.payoutSubmitStatus)}`,
    );
  }
  if (resolved.webhookSecret.length === 0)
    throw new SandboxOptionsError('webhookSecret must not be empty');
  for (const [currency, amount] of Object.entries(resolved.initialBalances)) {
    if (!/^[A-Z]{3}$/.test(currency))
      throw new SandboxOptionsError(`initialBalances: "${currency}" is not an ISO-4217 code`);
    if (!/^\d+(\.\d{1,2})?$/.test(amount)) {
      throw new SandboxOptionsError(
        `initialBalances.${currency}: "${amount}" is not a non-negative decimal string`,
      );
    }
  }
  if (!/^0(\.\d+)?$/.test(resolved.receivedPaymentFeeRate)) {
    throw new SandboxOptionsError(
      `receivedPaymentFeeRate must be a decimal string in [0, 1), got "${resolved.receivedPaymentFeeRate}"`,
    );
  }
  return resolved;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SandboxOptionsError(
      `${name} must be an integer in [${min}, ${max}], got ${String(value)}`,
    );
  }
}
