/** How the HTTP client treats failures; a connector sets defaults, an operator may override them. */
export interface HttpPolicy {
  /** Per attempt, including reading the body. */
  timeoutMs: number;
  retry: {
    /** Total tries of one request, the first included. 1 disables retries. */
    maxAttempts: number;
    initialDelayMs: number;
    maxDelayMs: number;
    /**
     * A `Retry-After` longer than this is not waited out in-process: the request fails at once as
     * `rate_limited`/`transient` with `retryAfterMs`, and the flow engine schedules the retry.
     */
    maxRetryAfterMs: number;
  };
  /** One breaker per host: opens after this many consecutive host failures (network, timeout, 5xx). */
  breaker: { consecutiveFailures: number; halfOpenAfterMs: number };
  /** Per connector; undefined = unlimited. */
  rateLimit: { requestsPerSecond: number; burst?: number } | undefined;
  /** Concurrent requests per connector; undefined = unlimited. */
  maxConcurrent: number | undefined;
  /** Log request and response bodies (redacted) at debug level. Off by default: bodies hold PII. */
  logBodies: boolean;
}

/** A partial policy, as given by a connector definition or an operator. */
export interface HttpPolicyOverrides {
  timeoutMs?: number;
  retry?: Partial<HttpPolicy['retry']>;
  breaker?: Partial<HttpPolicy['breaker']>;
  rateLimit?: HttpPolicy['rateLimit'];
  maxConcurrent?: number;
  logBodies?: boolean;
}

/**
 * Defaults keep in-process waiting short (a worker waiting blocks its partition): longer waits
 * belong to the flow engine's retry policy and delay topics.
 */
export const DEFAULT_HTTP_POLICY: HttpPolicy = {
  timeoutMs: 10_000,
  retry: { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 2_000, maxRetryAfterMs: 5_000 },
  breaker: { consecutiveFailures: 5, halfOpenAfterMs: 10_000 },
  rateLimit: undefined,
  maxConcurrent: undefined,
  logBodies: false,
};

/** The defaults overlaid by each layer in turn (later layers win). */
export function resolveHttpPolicy(...layers: (HttpPolicyOverrides | undefined)[]): HttpPolicy {
  const policy: HttpPolicy = {
    ...DEFAULT_HTTP_POLICY,
    retry: { ...DEFAULT_HTTP_POLICY.retry },
    breaker: { ...DEFAULT_HTTP_POLICY.breaker },
  };
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (layer.timeoutMs !== undefined) policy.timeoutMs = layer.timeoutMs;
    if (layer.retry !== undefined) policy.retry = { ...policy.retry, ...definedOnly(layer.retry) };
    if (layer.breaker !== undefined)
      policy.breaker = { ...policy.breaker, ...definedOnly(layer.breaker) };
    if ('rateLimit' in layer) policy.rateLimit = layer.rateLimit;
    if (layer.maxConcurrent !== undefined) policy.maxConcurrent = layer.maxConcurrent;
    if (layer.logBodies !== undefined) policy.logBodies = layer.logBodies;
  }
  const problems = policyProblems(policy);
  if (problems.length > 0) throw new RangeError(`invalid HTTP policy: ${problems.join('; ')}`);
  return policy;
}

function definedOnly<T extends object>(partial: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(partial).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function policyProblems(policy: HttpPolicy): string[] {
  const problems: string[] = [];
  const positive = (path: string, value: number | undefined): void => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0))
      problems.push(`${path} must be > 0, got ${value}`);
  };
  positive('timeoutMs', policy.timeoutMs);
  if (!Number.isInteger(policy.retry.maxAttempts) || policy.retry.maxAttempts < 1) {
    problems.push(`retry.maxAttempts must be an integer >= 1, got ${policy.retry.maxAttempts}`);
  }
  if (policy.retry.initialDelayMs < 0) problems.push('retry.initialDelayMs must be >= 0');
  if (policy.retry.maxDelayMs < policy.retry.initialDelayMs)
    problems.push('retry.maxDelayMs must be >= retry.initialDelayMs');
  if (policy.retry.maxRetryAfterMs < 0) problems.push('retry.maxRetryAfterMs must be >= 0');
  if (
    !Number.isInteger(policy.breaker.consecutiveFailures) ||
    policy.breaker.consecutiveFailures < 1
  ) {
    problems.push(
      `breaker.consecutiveFailures must be an integer >= 1, got ${policy.breaker.consecutiveFailures}`,
    );
  }
  positive('breaker.halfOpenAfterMs', policy.breaker.halfOpenAfterMs);
  positive('rateLimit.requestsPerSecond', policy.rateLimit?.requestsPerSecond);
  positive('rateLimit.burst', policy.rateLimit?.burst);
  positive('maxConcurrent', policy.maxConcurrent);
  return problems;
}
