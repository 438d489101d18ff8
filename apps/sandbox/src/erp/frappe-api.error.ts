import { SimulatedApiError, type SimulatedReply } from '../common/simulated-api.error';

/** HTTP status of each Frappe exception class (frappe/exceptions.py). */
const STATUS_BY_EXC_TYPE: Record<string, number> = {
  ValidationError: 417,
  MandatoryError: 417,
  LinkValidationError: 417,
  TimestampMismatchError: 417,
  UniqueValidationError: 417,
  DocstatusTransitionError: 417,
  UpdateAfterSubmitError: 417,
  DoesNotExistError: 404,
  PermissionError: 403,
  AuthenticationError: 401,
  DuplicateEntryError: 409,
  InvalidAuthorizationToken: 400,
  CSRFTokenError: 400,
};

/**
 * A Frappe v1 error: status from the exception class, `exc_type`, the last traceback line in
 * `exception`, and `_server_messages` as a JSON string of a list of JSON strings.
 */
export class FrappeApiError extends SimulatedApiError {
  override readonly name = 'FrappeApiError';
  private plainTextBody: string | undefined;

  constructor(
    readonly excType: string,
    message: string,
    readonly status: number = STATUS_BY_EXC_TYPE[excType] ?? 500,
    readonly title = 'Message',
  ) {
    super(message);
  }

  /** A non-JSON answer (Frappe's rate limiter sends plain text). */
  static plainText(status: number, text: string): FrappeApiError {
    const error = new FrappeApiError('TooManyRequestsError', text, status);
    error.plainTextBody = text;
    return error;
  }

  override toReply(sequence: number): SimulatedReply {
    if (this.plainTextBody !== undefined) {
      return {
        status: this.status,
        body: this.plainTextBody,
        contentType: 'text/plain; charset=utf-8',
      };
    }
    const serverMessage = JSON.stringify({
      message: this.message,
      title: this.title,
      indicator: 'red',
      raise_exception: 1,
      __frappe_exc_id: `sandbox-exc-${sequence}`,
    });
    return {
      status: this.status,
      body: {
        exc_type: this.excType,
        exception: `frappe.exceptions.${this.excType}: ${this.message}`,
        _server_messages: JSON.stringify([serverMessage]),
      },
    };
  }
}
