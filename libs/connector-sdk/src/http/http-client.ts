import {
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  type IRetryBackoffContext,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  isBulkheadRejectedError,
  retry,
  timeout,
} from 'cockatiel';
import { Agent, request as sendHttpRequest } from 'undici';

import { type AppliedCredential, type Authenticator } from '../auth/auth-strategy';
import { ConnectorError, isConnectorError } from '../errors/connector-error';
import { type ConnectorLogger, silentLogger } from '../observe/connector-logger';
import { type BreakerState, type ConnectorObserver } from '../observe/connector-observer';
import { guardObserver } from '../observe/guarded-observer';
import { Redactor } from '../observe/redactor';
import { fullJitterDelay } from './full-jitter-backoff';
import { DEFAULT_HTTP_POLICY, type HttpPolicy } from './http-policy';
import { type HttpMethod, type HttpRequest, type HttpResponse } from './http-request';
import { type HttpFailureResponse, HttpStatusError } from './http-status-error';
import { networkFailure } from './network-failure';
import { RateLimiter } from './rate-limiter';

export interface HttpClientOptions {
  connectorId: string;
  /** The primary base URL first, then fallbacks, tried in order when the ones before are down. */
  baseUrls: readonly string[];
  /** Resolve with `resolveHttpPolicy`; default `DEFAULT_HTTP_POLICY`. */
  policy?: HttpPolicy;
  logger?: ConnectorLogger;
  observer?: ConnectorObserver;
  redactor?: Redactor;
  /** The connector's refinement of a failure (e.g. a 400 whose body says insufficient funds → business). */
  classifyError?: (failure: unknown) => ConnectorError | undefined;
}

/** What a failed attempt tells the breaker, the fallback and the retry decision. */
interface FailureFacts {
  /** The host looks unhealthy (network failure, timeout, 5xx): counts towards its breaker, allows fallback. */
  hostDown: boolean;
  /** The remote surely did not act on the request, so even a non-idempotent request may be repeated. */
  notSent: boolean;
  /** Already retried where it happened (a token or login request): not to be retried again. */
  exhausted?: boolean;
}

/** State shared by a client and the clients derived from it with `withAuth`. */
interface ClientCore {
  connectorId: string;
  baseUrls: readonly string[];
  policy: HttpPolicy;
  logger: ConnectorLogger;
  observer: ConnectorObserver;
  redactor: Redactor;
  classifyError: ((failure: unknown) => ConnectorError | undefined) | undefined;
  agent: Agent;
  breakers: Map<string, CircuitBreakerPolicy>;
  /** When each host's breaker last opened (epoch ms), to tell callers when to come back. */
  breakerOpenedAt: Map<string, number>;
  limiter: RateLimiter | undefined;
  bulkhead: BulkheadPolicy | undefined;
  facts: WeakMap<Error, FailureFacts>;
}

/** Per-request memory across retries: the credential last sent, for a 401 renewal. */
interface RequestState {
  credential: AppliedCredential | undefined;
}

const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set([
  'GET',
  'HEAD',
  'PUT',
  'DELETE',
  'OPTIONS',
]);
const BREAKER_STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

/** Creates the resilient HTTP client of one connector instance. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  if (options.baseUrls.length === 0) {
    throw new ConnectorError(
      'config',
      `connector "${options.connectorId}": no base URL configured`,
      { code: 'BASE_URL_MISSING' },
    );
  }
  const baseUrls = options.baseUrls.map((baseUrl, index) => {
    let parsed: URL;
    try {
      parsed = new URL(baseUrl);
    } catch (error) {
      throw new ConnectorError(
        'config',
        `connector "${options.connectorId}": base URL #${index + 1} "${baseUrl}" is not a URL`,
        {
          code: 'BASE_URL_INVALID',
          cause: error,
        },
      );
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ConnectorError(
        'config',
        `connector "${options.connectorId}": base URL #${index + 1} "${baseUrl}" must be http(s)`,
        {
          code: 'BASE_URL_INVALID',
        },
      );
    }
    return parsed.href.replace(/\/+$/, '');
  });
  const policy = options.policy ?? DEFAULT_HTTP_POLICY;
  const logger = options.logger ?? silentLogger;
  return new HttpClient({
    connectorId: options.connectorId,
    baseUrls,
    policy,
    logger,
    observer: guardObserver(options.observer, logger),
    redactor: options.redactor ?? new Redactor(),
    classifyError: options.classifyError,
    agent: new Agent({ keepAliveTimeout: 4_000 }),
    breakers: new Map(),
    breakerOpenedAt: new Map(),
    limiter:
      policy.rateLimit === undefined
        ? undefined
        : new RateLimiter(policy.rateLimit.requestsPerSecond, policy.rateLimit.burst),
    // The queue is bounded only to fail loudly instead of growing without limit.
    bulkhead:
      policy.maxConcurrent === undefined ? undefined : bulkhead(policy.maxConcurrent, 10_000),
    facts: new WeakMap(),
  });
}

/**
 * The HTTP client every connector uses: per-attempt timeouts, retries with exponential backoff
 * and full jitter, `Retry-After`, a circuit breaker per host, fallback base URLs, a per-connector
 * rate limit and concurrency cap, 401 → credential renewal → one more try, redacted logs, and
 * every failure thrown as a classified `ConnectorError`.
 */
export class HttpClient {
  /** @internal Use `createHttpClient`. */
  constructor(
    private readonly core: ClientCore,
    private readonly auth?: Authenticator,
  ) {}

  /** The same client (breakers, rate limit, connections shared) putting credentials on each request. */
  withAuth(auth: Authenticator): HttpClient {
    return new HttpClient(this.core, auth);
  }

  get baseUrls(): readonly string[] {
    return this.core.baseUrls;
  }

  /** Current state of the breaker guarding a host (`http://host:port`); `closed` if never used. */
  breakerState(origin: string): BreakerState {
    const breaker = this.core.breakers.get(new URL(origin).origin);
    return breaker === undefined ? 'closed' : BREAKER_STATES[breaker.state];
  }

  /** Sends a request; resolves with a 1xx–3xx answer, rejects with a classified `ConnectorError`. */
  async request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>> {
    const bodies = [request.json, request.form, request.body].filter(
      (body) => body !== undefined,
    ).length;
    if (bodies > 1)
      throw new TypeError(
        `${request.method} ${request.path}: give at most one of json, form, body`,
      );
    const state: RequestState = { credential: undefined };
    let renewed = false;
    for (;;) {
      try {
        return await this.withRetries<T>(request, state);
      } catch (error) {
        if (renewed || this.auth === undefined || !isConnectorError(error) || error.status !== 401)
          throw error;
        renewed = true;
        if (!(await this.auth.renew(state.credential))) throw error;
        this.core.logger.info(
          {
            connector: this.core.connectorId,
            method: request.method,
            path: this.core.redactor.redactText(request.path),
          },
          'credentials renewed after 401; sending once more',
        );
      }
    }
  }

  /** GET a path; see `request`. */
  get<T = unknown>(
    path: string,
    options: Omit<HttpRequest, 'method' | 'path'> = {},
  ): Promise<HttpResponse<T>> {
    return this.request<T>({ ...options, method: 'GET', path });
  }

  /** POST JSON to a path; see `request`. */
  post<T = unknown>(
    path: string,
    json?: unknown,
    options: Omit<HttpRequest, 'method' | 'path' | 'json'> = {},
  ): Promise<HttpResponse<T>> {
    return this.request<T>({ ...options, method: 'POST', path, json });
  }

  /** PUT JSON to a path; see `request`. */
  put<T = unknown>(
    path: string,
    json?: unknown,
    options: Omit<HttpRequest, 'method' | 'path' | 'json'> = {},
  ): Promise<HttpResponse<T>> {
    return this.request<T>({ ...options, method: 'PUT', path, json });
  }

  /** PATCH JSON to a path; see `request`. */
  patch<T = unknown>(
    path: string,
    json?: unknown,
    options: Omit<HttpRequest, 'method' | 'path' | 'json'> = {},
  ): Promise<HttpResponse<T>> {
    return this.request<T>({ ...options, method: 'PATCH', path, json });
  }

  /** DELETE a path; see `request`. */
  delete<T = unknown>(
    path: string,
    options: Omit<HttpRequest, 'method' | 'path'> = {},
  ): Promise<HttpResponse<T>> {
    return this.request<T>({ ...options, method: 'DELETE', path });
  }

  /** Closes pooled connections; shared with every client derived by `withAuth`. */
  async close(): Promise<void> {
    await this.core.agent.close();
  }

  private async withRetries<T>(
    request: HttpRequest,
    state: RequestState,
  ): Promise<HttpResponse<T>> {
    const { policy, observer, logger, connectorId } = this.core;
    const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(request.method);
    const retries = retry(
      handleWhen((error) => this.isRetryable(error, idempotent)),
      {
        maxAttempts: policy.retry.maxAttempts - 1,
        backoff: new DelegateBackoff((context: IRetryBackoffContext<unknown>) => {
          const failure = 'error' in context.result ? context.result.error : undefined;
          return isConnectorError(failure) && failure.retryAfterMs !== undefined
            ? failure.retryAfterMs
            : fullJitterDelay(context.attempt, policy.retry);
        }),
      },
    );
    const listener = retries.onRetry((event) => {
      const failure = 'error' in event ? event.error : undefined;
      const classified = isConnectorError(failure) ? failure : undefined;
      observer.httpRetry?.({
        connectorId,
        method: request.method,
        retry: event.attempt,
        delayMs: event.delay,
        failureType: classified?.failureType ?? 'transient',
        status: classified?.status,
      });
      logger.info(
        {
          connector: connectorId,
          method: request.method,
          path: this.core.redactor.redactText(request.path),
          retry: event.attempt,
          delayMs: event.delay,
          code: classified?.code,
        },
        'http request failed; retrying',
      );
    });
    try {
      return await retries.execute(
        ({ attempt }) => this.attemptOnce<T>(request, attempt + 1, idempotent, state),
        request.signal,
      );
    } finally {
      listener.dispose();
    }
  }

  private isRetryable(error: Error, idempotent: boolean): boolean {
    if (!isConnectorError(error)) return false;
    if (error.failureType !== 'transient' && error.failureType !== 'rate_limited') return false;
    // A long Retry-After is the flow engine's to wait out (delay topic), not a blocked worker's.
    if (
      error.retryAfterMs !== undefined &&
      error.retryAfterMs > this.core.policy.retry.maxRetryAfterMs
    )
      return false;
    const facts = this.core.facts.get(error);
    if (facts?.exhausted === true) return false;
    return idempotent || facts?.notSent === true;
  }

  /** One try: the primary base URL, then each fallback while the previous one is down. */
  private async attemptOnce<T>(
    request: HttpRequest,
    attempt: number,
    idempotent: boolean,
    state: RequestState,
  ): Promise<HttpResponse<T>> {
    const targets = /^https?:\/\//i.test(request.path)
      ? [new URL(request.path)]
      : this.core.baseUrls.map(
          (base) =>
            new URL(base + (request.path.startsWith('/') ? request.path : `/${request.path}`)),
        );
    for (const [index, url] of targets.entries()) {
      for (const [name, value] of Object.entries(request.query ?? {})) {
        if (value !== undefined) url.searchParams.set(name, String(value));
      }
      try {
        return await this.breakerFor(url.origin).execute(() =>
          this.send<T>(request, url, attempt, state),
        );
      } catch (error) {
        const failure = isBrokenCircuitError(error) ? this.circuitOpen(url) : error;
        const facts = failure instanceof Error ? this.core.facts.get(failure) : undefined;
        const fallBack = facts !== undefined && facts.hostDown && (facts.notSent || idempotent);
        const next = targets[index + 1];
        if (next === undefined || !fallBack) throw failure;
        this.core.logger.warn(
          { connector: this.core.connectorId, from: url.origin, to: next.origin, attempt },
          'base URL is down; trying the next one',
        );
      }
    }
    throw new Error('unreachable: at least one target URL');
  }

  private circuitOpen(url: URL): ConnectorError {
    // Retrying before the breaker half-opens is pointless: tell the caller when to come back.
    const openedAt = this.core.breakerOpenedAt.get(url.origin) ?? Date.now();
    const retryAfterMs = Math.max(0, openedAt + this.core.policy.breaker.halfOpenAfterMs - Date.now());
    const error = new ConnectorError(
      'transient',
      `${url.origin} is not called for now: its circuit breaker opened after repeated failures`,
      { code: 'CIRCUIT_OPEN', retryAfterMs },
    );
    this.core.facts.set(error, { hostDown: true, notSent: true });
    return error;
  }

  private breakerFor(origin: string): CircuitBreakerPolicy {
    const existing = this.core.breakers.get(origin);
    if (existing !== undefined) return existing;
    const { policy, facts, observer, logger, connectorId } = this.core;
    const breaker = circuitBreaker(
      handleWhen((error) => facts.get(error)?.hostDown === true),
      {
        halfOpenAfter: policy.breaker.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(policy.breaker.consecutiveFailures),
      },
    );
    breaker.onStateChange((circuitState) => {
      const state = BREAKER_STATES[circuitState];
      if (state === 'open') this.core.breakerOpenedAt.set(origin, Date.now());
      observer.breakerStateChanged?.({ connectorId, host: origin, state });
      logger.warn({ connector: connectorId, host: origin, state }, `circuit breaker ${state}`);
    });
    this.core.breakers.set(origin, breaker);
    return breaker;
  }

  private async send<T>(
    request: HttpRequest,
    url: URL,
    attempt: number,
    state: RequestState,
  ): Promise<HttpResponse<T>> {
    if (this.core.bulkhead === undefined) return this.sendNow<T>(request, url, attempt, state);
    try {
      return await this.core.bulkhead.execute(() => this.sendNow<T>(request, url, attempt, state));
    } catch (error) {
      if (!isBulkheadRejectedError(error)) throw error;
      const failure = new ConnectorError(
        'transient',
        `connector "${this.core.connectorId}" has too many requests queued`,
        {
          code: 'TOO_MANY_QUEUED',
          cause: error,
        },
      );
      this.core.facts.set(failure, { hostDown: false, notSent: true });
      throw failure;
    }
  }

  private async sendNow<T>(
    request: HttpRequest,
    url: URL,
    attempt: number,
    state: RequestState,
  ): Promise<HttpResponse<T>> {
    const { policy, redactor, connectorId, observer, logger, agent } = this.core;
    await this.core.limiter?.acquire(request.signal);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': `switchboard-connector/${connectorId}`,
    };
    for (const [name, value] of Object.entries(request.headers ?? {}))
      headers[name.toLowerCase()] = value;
    let body: string | Buffer | undefined = request.body;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers['content-type'] ??= 'application/json';
    } else if (request.form !== undefined) {
      body = new URLSearchParams(request.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    // Credentials may go into the query: the authorised copy is sent, the original is reported.
    const sentUrl = new URL(url.href);
    if (this.auth !== undefined) {
      try {
        state.credential = await this.auth.apply({ url: sentUrl, headers });
      } catch (error) {
        // A token or login failure had its own retries against its own host: this host is not
        // to blame (no breaker count, no fallback) and retrying here would multiply the attempts.
        if (error instanceof Error) {
          this.core.facts.set(error, { hostDown: false, notSent: false, exhausted: true });
        }
        throw error;
      }
    }
    const logUrl = redactor.redactUrl(sentUrl);
    const timeoutMs = request.timeoutMs ?? policy.timeoutMs;
    const where = { connector: connectorId, method: request.method, url: logUrl, attempt };
    const bodyForLog = (): unknown =>
      request.json ?? request.form ?? (body === undefined ? undefined : String(body));
    const started = performance.now();

    const fail = (failure: ConnectorError, facts: FailureFacts): ConnectorError => {
      const classified = this.refine(failure);
      this.core.facts.set(classified, facts);
      const durationMs = Math.round(performance.now() - started);
      observer.httpAttempt?.({
        connectorId,
        method: request.method,
        host: url.origin,
        attempt,
        status: failure.status,
        outcome: classified.failureType,
        durationMs,
      });
      logger.warn(
        {
          ...where,
          status: failure.status,
          durationMs,
          failureType: classified.failureType,
          code: classified.code,
          err: redactor.redactText(classified.message),
          ...(policy.logBodies ? { requestBody: redactor.redact(bodyForLog()) } : {}),
        },
        'http attempt failed',
      );
      return classified;
    };

    let answer: {
      status: number;
      headers: Record<string, string | string[] | undefined>;
      text: string;
    };
    // abortOnReturn: aborting a finished request's signal only builds a DOMException (with stack) per request.
    const attemptTimeout = timeout(timeoutMs, {
      strategy: TimeoutStrategy.Aggressive,
      abortOnReturn: false,
    });
    let timedOut = false;
    const timeoutListener = attemptTimeout.onTimeout(() => {
      timedOut = true;
    });
    try {
      answer = await attemptTimeout.execute(async ({ signal }) => {
        const response = await sendHttpRequest(sentUrl, {
          method: request.method,
          headers,
          body,
          signal,
          dispatcher: agent,
        });
        return {
          status: response.statusCode,
          headers: response.headers,
          text: await response.body.text(),
        };
      }, request.signal);
    } catch (error) {
      if (request.signal?.aborted === true) {
        throw fail(
          new ConnectorError('transient', `${request.method} ${logUrl} was aborted by the caller`, {
            code: 'ABORTED',
            cause: error,
          }),
          {
            hostDown: false,
            notSent: false,
          },
        );
      }
      // Told by the policy itself: the error may be cockatiel's TaskCancelledError or undici's abort.
      if (timedOut) {
        throw fail(
          new ConnectorError(
            'transient',
            `${request.method} ${logUrl} timed out after ${timeoutMs} ms`,
            { code: 'TIMEOUT', cause: error },
          ),
          { hostDown: true, notSent: false },
        );
      }
      const network = networkFailure(error, request.method, logUrl);
      throw fail(network.error, { hostDown: true, notSent: network.notSent });
    } finally {
      timeoutListener.dispose();
    }

    if (answer.status >= 400) {
      const failure = new HttpStatusError(
        request.method,
        logUrl,
        // Errors travel far (logs, DLQ headers, the review queue): they carry no secret a remote echoed.
        {
          status: answer.status,
          headers: redactor.redact(answer.headers) as HttpFailureResponse['headers'],
          body: redactor.redact(parseLenient(answer.text)),
        },
        redactor.redactText(answer.text.slice(0, 300)),
      );
      if (policy.logBodies)
        logger.debug(
          { ...where, status: answer.status, responseBody: redactor.redact(failure.response.body) },
          'http error body',
        );
      throw fail(failure, {
        hostDown: answer.status >= 500 && answer.status !== 501,
        notSent: answer.status === 429 || answer.status === 503,
      });
    }

    let parsed: unknown = answer.text;
    const contentType = String(answer.headers['content-type'] ?? '');
    const wantsJson =
      request.responseType === 'json' ||
      (request.responseType !== 'text' && /[/+]json\b/i.test(contentType));
    if (wantsJson) {
      try {
        parsed = answer.text === '' ? undefined : (JSON.parse(answer.text) as unknown);
      } catch (error) {
        throw fail(
          new ConnectorError(
            'transient',
            `${request.method} ${logUrl} answered ${answer.status} with a body that is not JSON`,
            {
              code: 'INVALID_JSON',
              status: answer.status,
              cause: error,
            },
          ),
          { hostDown: false, notSent: false },
        );
      }
    }
    const durationMs = Math.round(performance.now() - started);
    observer.httpAttempt?.({
      connectorId,
      method: request.method,
      host: url.origin,
      attempt,
      status: answer.status,
      outcome: 'success',
      durationMs,
    });
    logger.debug(
      {
        ...where,
        status: answer.status,
        durationMs,
        requestHeaders: redactor.redact(headers),
        responseHeaders: redactor.redact(answer.headers),
        ...(policy.logBodies
          ? { requestBody: redactor.redact(bodyForLog()), responseBody: redactor.redact(parsed) }
          : {}),
      },
      'http request',
    );
    return { status: answer.status, headers: answer.headers, body: parsed as T, url: url.href };
  }

  /** The connector's classification of a failure, or the default one when it has none to add. */
  private refine(failure: ConnectorError): ConnectorError {
    const classify = this.core.classifyError;
    if (classify === undefined) return failure;
    try {
      return classify(failure) ?? failure;
    } catch (error) {
      this.core.logger.error(
        { connector: this.core.connectorId, err: String(error) },
        'classifyError threw; keeping the default classification',
      );
      return failure;
    }
  }
}

function parseLenient(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Error pages are often HTML or plain text: the classifier still gets to read them.
    return text;
  }
}
