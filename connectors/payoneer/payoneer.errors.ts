import { ConnectorError, HttpStatusError } from '@switchboard/connector-sdk';

/** Payoneer's v4 error envelope. */
interface PayoneerErrorBody {
  error?: unknown;
  error_description?: unknown;
  error_details?: {
    code?: unknown;
    sub_code?: unknown;
    errors?: { code?: unknown; target?: unknown; value?: unknown; message?: unknown }[];
  };
  audit_id?: unknown;
}

/** Payoneer reason codes (v4 sub codes, v2/IPCN reason codes, legacy codes) → our codes. */
export const PAYONEER_REASON_CODES: Readonly<Record<number, string>> = {
  3: 'INSUFFICIENT_FUNDS',
  10005: 'PAYEE_NOT_FOUND',
  10009: 'PAYEE_INACTIVE',
  10304: 'PAYOUT_ALREADY_EXISTS',
  2306: 'PAYOUT_NOT_FOUND',
  10311: 'PAYOUT_NOT_FOUND',
  30013: 'BANK_DETAILS_INVALID',
  1803: 'CHALLENGE_REQUIRED',
};

/**
 * Classifies Payoneer refusals from the `error_details` codes: insufficient funds, unknown or
 * inactive payee, duplicate or unknown payout → business with a specific code; an unknown
 * program or account → config. 429, 5xx and network failures keep the default classes
 * (rate_limited with Retry-After, transient).
 */
export function classifyPayoneerError(failure: unknown): ConnectorError | undefined {
  if (!(failure instanceof HttpStatusError)) return undefined;
  const status = failure.response.status;
  if (status === 429 || status >= 500 || status === 401) return undefined;
  const body = failure.response.body as PayoneerErrorBody | null;
  if (typeof body !== 'object' || body === null) return undefined;
  const details = body.error_details;
  const codes = [details?.sub_code, details?.code, ...(details?.errors ?? []).map((e) => e.code)]
    .map(Number)
    .filter((code) => Number.isInteger(code));
  const description =
    typeof body.error_description === 'string' ? body.error_description : failure.message;
  const itemMessages = (details?.errors ?? [])
    .map((item) => (typeof item.message === 'string' ? item.message : undefined))
    .filter((message): message is string => message !== undefined);
  const text = [description, ...itemMessages].join('; ');
  const options = {
    status,
    cause: failure,
    details: {
      codes,
      errors: details?.errors ?? [],
      ...(body.audit_id === undefined ? {} : { auditId: body.audit_id }),
    },
  };
  const known = codes.map((code) => PAYONEER_REASON_CODES[code]).find((code) => code !== undefined);
  const code =
    known ?? (/insufficient funds/i.test(description) ? 'INSUFFICIENT_FUNDS' : undefined);
  if (code !== undefined) {
    return new ConnectorError('business', `Payoneer refused: ${text}`, { ...options, code });
  }
  if (codes.includes(1404)) {
    return new ConnectorError(
      'config',
      `Payoneer does not know the configured program or account: ${text}`,
      { ...options, code: 'PROGRAM_OR_ACCOUNT_UNKNOWN' },
    );
  }
  if (status === 400 && codes.includes(1000)) {
    return new ConnectorError('business', `Payoneer refused the request: ${text}`, {
      ...options,
      code: 'VALIDATION_FAILED',
    });
  }
  return undefined;
}
