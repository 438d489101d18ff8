/**
 * How a failure should be handled, decided by the connector that saw it:
 * - `config`: wrong set-up (bad credentials, unknown account) — never retried, dead-lettered.
 * - `transient`: network faults, 5xx, timeouts — retried with backoff.
 * - `rate_limited`: 429 and friends — retried after `retryAfterMs` when the remote said so.
 * - `business`: the remote refused on business grounds (insufficient funds, invalid payee,
 *   amount mismatch) — routed to a review queue, never blindly retried.
 */
export const FAILURE_TYPES = ['config', 'transient', 'rate_limited', 'business'] as const;
export type FailureType = (typeof FAILURE_TYPES)[number];

export interface ConnectorErrorOptions {
  /** Machine-readable reason, e.g. `INSUFFICIENT_FUNDS`, `PAYEE_INACTIVE`, `HTTP_503`. */
  code?: string;
  retryAfterMs?: number;
  /** HTTP status of the remote answer, when there was one. */
  status?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type that crosses the connector boundary: it says how to treat the failure. */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly failureType: FailureType,
    message: string,
    options: ConnectorErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.details = options.details;
  }
}

/** True for any value that carries a failure classification. */
export function isConnectorError(error: unknown): error is ConnectorError {
  return error instanceof ConnectorError;
}
