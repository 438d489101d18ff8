import { ConnectorError } from '../errors/connector-error';

/** Socket errors that mean the request never reached the remote, so repeating it is always safe. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** A failure below HTTP: the classified error and whether the request surely went unsent. */
export interface NetworkFailure {
  error: ConnectorError;
  notSent: boolean;
}

/** Maps a socket/undici error to a transient ConnectorError (`NETWORK_ECONNREFUSED`, …). */
export function networkFailure(cause: unknown, method: string, url: string): NetworkFailure {
  const code = errorCode(cause) ?? 'UNKNOWN';
  const reason = cause instanceof Error && cause.message !== '' ? cause.message : code;
  return {
    error: new ConnectorError('transient', `${method} ${url} failed: ${reason}`, {
      code: `NETWORK_${code}`,
      cause,
    }),
    notSent: NOT_SENT_CODES.has(code),
  };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  // Happy-eyeballs connects report an AggregateError of the per-address failures.
  if (Array.isArray(errors) && errors.length > 0) return errorCode(errors[0]);
  return cause === undefined ? undefined : errorCode(cause);
}
