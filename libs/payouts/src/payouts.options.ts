import { PayoutInputError } from './payout.errors';

/** How the payout services behave; validated once by `resolvePayoutsOptions`. */
export interface PayoutsOptions {
  /** The Payoneer account (program) the queues belong to. */
  account: string;
  /** Items per mass-payout request; default 50, at most 500 (Payoneer's batch limit). */
  chunkSize?: number;
  /** Currencies that can be paid; default USD, EUR, GBP. */
  supportedCurrencies?: readonly string[];
  /** A `submitted` item this old with no stored answer is checked with Payoneer and resent if unknown; default 60 s. */
  recoverSubmittedAfterMs?: number;
  /** A `pending` item with no news for this long is polled; default 5 min. */
  statusPollAfterMs?: number;
  /** Items polled per `pollAwaitingNews` run; default 200. */
  statusPollLimit?: number;
  /**
   * Status lookups a `pollAwaitingNews` run has in flight at once; default 4. No Payoneer rate
   * limit is known (none is documented), so the default stays a small burst that still overlaps
   * round trips; each lookup retries a 429 on its own (Retry-After), and the connector's
   * `http.maxConcurrent`/`rateLimit` cap all Payoneer calls on top. Raise it for a known quota.
   */
  statusPollConcurrency?: number;
  /** Retries of a rate-limited or transient gateway call. */
  retry?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number };
}

export type ResolvedPayoutsOptions = Required<Omit<PayoutsOptions, 'retry'>> & {
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
};

/** Fills defaults and refuses impossible values, naming the option. */
export function resolvePayoutsOptions(options: PayoutsOptions): ResolvedPayoutsOptions {
  const resolved: ResolvedPayoutsOptions = {
    account: options.account,
    chunkSize: options.chunkSize ?? 50,
    supportedCurrencies: options.supportedCurrencies ?? ['USD', 'EUR', 'GBP'],
    recoverSubmittedAfterMs: options.recoverSubmittedAfterMs ?? 60_000,
    statusPollAfterMs: options.statusPollAfterMs ?? 300_000,
    statusPollLimit: options.statusPollLimit ?? 200,
    statusPollConcurrency: options.statusPollConcurrency ?? 4,
    retry: {
      maxAttempts: options.retry?.maxAttempts ?? 8,
      initialDelayMs: options.retry?.initialDelayMs ?? 200,
      maxDelayMs: options.retry?.maxDelayMs ?? 30_000,
    },
  };
  const problems: string[] = [];
  if (typeof resolved.account !== 'string' || resolved.account.trim() === '')
    problems.push('account: must be a non-empty string');
  const integer = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push(`${name}: must be an integer from ${min} to ${max}, got ${value}`);
  };
  integer('chunkSize', resolved.chunkSize, 1, 500);
  integer('recoverSubmittedAfterMs', resolved.recoverSubmittedAfterMs, 0, 86_400_000);
  integer('statusPollAfterMs', resolved.statusPollAfterMs, 0, 86_400_000 * 7);
  integer('statusPollLimit', resolved.statusPollLimit, 1, 10_000);
  integer('statusPollConcurrency', resolved.statusPollConcurrency, 1, 100);
  integer('retry.maxAttempts', resolved.retry.maxAttempts, 1, 100);
  integer('retry.initialDelayMs', resolved.retry.initialDelayMs, 0, 600_000);
  integer('retry.maxDelayMs', resolved.retry.maxDelayMs, 0, 3_600_000);
  resolved.supportedCurrencies.forEach((currency, index) => {
    if (!/^[A-Z]{3}$/.test(currency))
      problems.push(`supportedCurrencies[${index}]: "${currency}" is not an ISO-4217 code`);
  });
  if (problems.length > 0) throw new PayoutInputError('invalid payouts options', problems);
  return resolved;
}
