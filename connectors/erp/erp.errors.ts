import { ConnectorError, HttpStatusError } from '@switchboard/connector-sdk';

/** A Frappe v1 error body: `exc_type` plus `_server_messages`, a JSON string of JSON strings. */
interface FrappeErrorBody {
  exc_type?: unknown;
  exception?: unknown;
  _server_messages?: unknown;
  _error_message?: unknown;
}

/** Frappe exception classes that mean "this content was refused": review, never blind retry. */
const BUSINESS_EXC_TYPES = new Set([
  'ValidationError',
  'MandatoryError',
  'UniqueValidationError',
  'DocstatusTransitionError',
  'UpdateAfterSubmitError',
  'DuplicateEntryError',
]);

/**
 * Classifies ERPNext/Frappe refusals by their `exc_type`: validation (unbalanced entry, duplicate
 * reference, missing field) → business; a link to an unknown account or company → config (the
 * account names in the settings or mapping are wrong); stale `modified` → transient.
 */
export function classifyErpError(failure: unknown): ConnectorError | undefined {
  if (!(failure instanceof HttpStatusError)) return undefined;
  const body = failure.response.body as FrappeErrorBody | null;
  const excType = typeof body?.exc_type === 'string' ? body.exc_type : undefined;
  if (excType === undefined) return undefined;
  const messages = frappeMessages(body);
  const text = messages.length > 0 ? messages.join('; ') : excType;
  const options = {
    status: failure.status,
    cause: failure,
    details: { excType, messages },
  };
  if (excType === 'RateLimitExceededError') {
    return new ConnectorError('rate_limited', `ERP rate limit: ${text}`, {
      ...options,
      code: 'RATE_LIMITED',
    });
  }
  if (excType === 'TimestampMismatchError') {
    return new ConnectorError('transient', `ERP document changed meanwhile: ${text}`, {
      ...options,
      code: 'DOCUMENT_MODIFIED',
    });
  }
  if (excType === 'LinkValidationError') {
    return new ConnectorError('config', `ERP does not know a linked record: ${text}`, {
      ...options,
      code: 'UNKNOWN_LINK',
    });
  }
  if (BUSINESS_EXC_TYPES.has(excType)) {
    return new ConnectorError('business', `ERP refused the document: ${text}`, {
      ...options,
      code: businessCode(excType, text),
    });
  }
  if (excType === 'DoesNotExistError') {
    return new ConnectorError('business', `ERP has no such document: ${text}`, {
      ...options,
      code: 'NOT_FOUND',
    });
  }
  return undefined;
}

function businessCode(excType: string, text: string): string {
  if (text.includes('Total Debit must be equal to Total Credit')) return 'UNBALANCED_ENTRY';
  if (excType === 'UniqueValidationError' || excType === 'DuplicateEntryError')
    return 'DUPLICATE_REFERENCE';
  if (excType === 'MandatoryError') return 'MANDATORY_FIELD_MISSING';
  return 'VALIDATION_FAILED';
}

/** Decodes `_server_messages` (a JSON list of JSON objects) and `_error_message` into plain texts. */
function frappeMessages(body: FrappeErrorBody | null): string[] {
  const messages: string[] = [];
  if (typeof body?._server_messages === 'string') {
    try {
      const entries = JSON.parse(body._server_messages) as unknown;
      for (const entry of (Array.isArray(entries) ? entries : []) as unknown[]) {
        const decoded = typeof entry === 'string' ? (JSON.parse(entry) as unknown) : entry;
        const message = (decoded as { message?: unknown } | null)?.message;
        if (typeof message === 'string') messages.push(message);
      }
    } catch (error) {
      // A garbled envelope must not hide the failure itself: fall back to the raw text.
      messages.push(`${body._server_messages} (undecodable: ${(error as Error).message})`);
    }
  }
  if (typeof body?._error_message === 'string') messages.push(body._error_message);
  if (messages.length === 0 && typeof body?.exception === 'string') messages.push(body.exception);
  return messages;
}
