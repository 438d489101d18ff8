export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** One request through the connector's HTTP client. */
export interface HttpRequest {
  method: HttpMethod;
  /**
   * A path appended to the connector's base URL (`/v4/programs/1/payouts`); with fallback base
   * URLs each is tried in order. An absolute URL (an OAuth2 token endpoint on another host) is
   * used as is, without fallbacks.
   */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Sent as JSON. At most one of json, form, body. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  body?: string | Buffer;
  /**
   * Whether repeating the request cannot duplicate its effect (a POST carrying an idempotency
   * key, e.g. Payoneer's client_reference_id). GET, HEAD, PUT, DELETE and OPTIONS are by
   * definition. Other requests are retried only when the remote surely did not process them.
   */
  idempotent?: boolean;
  /** Overrides the policy's per-attempt timeout. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** `auto` (default) parses JSON when the content type says so and keeps text otherwise. */
  responseType?: 'auto' | 'json' | 'text';
}

/** A 1xx–3xx answer (4xx/5xx answers are thrown as `HttpStatusError` or the connector's refinement). */
export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  /** The URL that answered: with fallbacks, not necessarily the primary one. */
  url: string;
}
