import { ConnectorError, HttpStatusError } from '@switchboard/connector-sdk';

/** ServiceStack's error body. */
interface ServiceStackErrorBody {
  ResponseStatus?: {
    ErrorCode?: unknown;
    Message?: unknown;
    Errors?: { ErrorCode?: unknown; FieldName?: unknown; Message?: unknown }[];
  };
}

/**
 * Classifies Clarity (ServiceStack) refusals: a record that does not exist → business
 * NOT_FOUND; a request ServiceStack could not bind (bad ModifiedSince, paging) → config, naming
 * the field. Writes answering `ActionSucceeded: false` are raised by the actions themselves
 * (`clarityWriteResult`). 401, 429 and 5xx keep the default classes.
 */
export function classifyClarityError(failure: unknown): ConnectorError | undefined {
  if (!(failure instanceof HttpStatusError)) return undefined;
  const status = (failure.response.body as ServiceStackErrorBody | null)?.ResponseStatus;
  if (typeof status !== 'object' || status === null) return undefined;
  const errorCode = typeof status.ErrorCode === 'string' ? status.ErrorCode : undefined;
  const message = typeof status.Message === 'string' ? status.Message : failure.message;
  const fields = (status.Errors ?? [])
    .map((error) =>
      [error.FieldName, error.Message].filter((part) => typeof part === 'string').join(': '),
    )
    .filter((text) => text !== '');
  const text = [message, ...fields].join('; ');
  const options = { status: failure.response.status, cause: failure, details: { errorCode } };
  if (failure.response.status === 404 && errorCode === 'NotFound') {
    return new ConnectorError('business', `Clarity has no such record: ${text}`, {
      ...options,
      code: 'NOT_FOUND',
    });
  }
  if (failure.response.status === 400) {
    return new ConnectorError('config', `Clarity could not read the request: ${text}`, {
      ...options,
      code: 'REQUEST_REJECTED',
    });
  }
  return undefined;
}
