import { SimulatedApiError, type SimulatedReply } from '../common/simulated-api.error';

/** One field error inside a ServiceStack ResponseStatus. */
export interface ClarityFieldError {
  ErrorCode: string;
  FieldName: string;
  Message: string;
}

/** A ServiceStack error reply: `{ResponseStatus: {ErrorCode, Message, Errors}}` with an HTTP error status. */
export class ClarityApiError extends SimulatedApiError {
  override readonly name = 'ClarityApiError';

  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly errors: ClarityFieldError[] = [],
  ) {
    super(message);
  }

  override toReply(_sequence: number): SimulatedReply {
    return {
      status: this.status,
      body: {
        ResponseStatus: { ErrorCode: this.errorCode, Message: this.message, Errors: this.errors },
      },
    };
  }
}
