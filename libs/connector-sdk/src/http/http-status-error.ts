import { ConnectorError, type FailureType } from '../errors/connector-error';
import { parseRetryAfter } from './retry-after';

/** What a remote answered, kept on the error so a connector's `classifyError` can read it. */
export interface HttpFailureResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the answer was JSON, else the text. */
  body: unknown;
}

/**
 * How a status is treated when the connector's `classifyError` says nothing more specific:
 * 401/403/404/405/501 point at set-up (credentials, permissions, wrong base URL); 408, 425 and
 * other 5xx are transient; 429 is rate limiting; the remaining 4xx are refusals of the content.
 */
export function classifyHttpStatus(status: number): FailureType {
  if (status === 429) return 'rate_limited';
  if (status === 408 || status === 425) return 'transient';
  if (status === 501) return 'config';
  if (status >= 500) return 'transient';
  if ([401, 403, 404, 405, 407].includes(status)) return 'config';
  return 'business';
}

/** A remote answered with a 4xx/5xx status. Classified by status; connectors may refine it. */
export class HttpStatusError extends ConnectorError {
  readonly response: HttpFailureResponse;
  readonly method: string;
  /** The request URL with secrets removed. */
  readonly url: string;

  constructor(method: string, url: string, response: HttpFailureResponse, bodyExcerpt: string) {
    super(
      classifyHttpStatus(response.status),
      `${method} ${url} answered ${response.status}${bodyExcerpt === '' ? '' : `: ${bodyExcerpt}`}`,
      {
        code: `HTTP_${response.status}`,
        status: response.status,
        retryAfterMs: parseRetryAfter(response.headers['retry-after']),
      },
    );
    this.response = response;
    this.method = method;
    this.url = url;
  }
}
