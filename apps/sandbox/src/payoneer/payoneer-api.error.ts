import { STATUS_CODES } from 'node:http';
import { SimulatedApiError, type SimulatedReply } from '../common/simulated-api.error';

/** One item of `error_details.errors`. */
export interface PayoneerErrorItem {
  code: number;
  target: string;
  value?: unknown;
  message: string;
  sub_code?: number;
}

/** `error_details` of a v4 error. */
export interface PayoneerErrorDetails {
  code: number;
  sub_code?: number;
  target?: string;
  errors?: PayoneerErrorItem[];
}

/** A Payoneer v4 error: `{error, error_description, error_details: {code, sub_code}, audit_id}`. */
export class PayoneerApiError extends SimulatedApiError {
  override readonly name = 'PayoneerApiError';

  constructor(
    readonly status: number,
    readonly description: string,
    readonly details: PayoneerErrorDetails,
  ) {
    super(description);
  }

  override toReply(sequence: number): SimulatedReply {
    return {
      status: this.status,
      body: {
        audit_id: 49_952_426 + sequence,
        error: STATUS_CODES[this.status] ?? 'Error',
        error_description: this.description,
        error_details: this.details,
      },
    };
  }
}

/** An OAuth2 token-endpoint error (RFC 6749 §5.2 shape: `{error, error_description}`). */
export class PayoneerOAuthError extends SimulatedApiError {
  override readonly name = 'PayoneerOAuthError';

  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }

  override toReply(_sequence: number): SimulatedReply {
    return {
      status: this.status,
      body: { error: this.error, error_description: this.description },
    };
  }
}
