/** Base of every error this lib throws on purpose. */
export class PayoutError extends Error {
  override name = 'PayoutError';
}

/** Bad input (a batch line, a CSV row, an option): the message names the value and where it came from. */
export class PayoutInputError extends PayoutError {
  override name = 'PayoutInputError';

  constructor(
    message: string,
    /** Each problem as `where: what`, e.g. `lines[3].amount: "12,5" is not a decimal`. */
    readonly problems: readonly string[] = [],
  ) {
    super(problems.length === 0 ? message : `${message}: ${problems.join('; ')}`);
  }
}

/** The operation is not allowed in the item's or queue's current state (e.g. re-initiating a paid item). */
export class PayoutStateError extends PayoutError {
  override name = 'PayoutStateError';
}

/** Something asked for does not exist (batch, item). */
export class PayoutNotFoundError extends PayoutError {
  override name = 'PayoutNotFoundError';
}

/**
 * How a gateway call failed:
 * - `rate_limited` / `transient`: try again later (honour `retryAfterMs`);
 * - `insufficient_funds`: the balance of `currency` cannot cover the submission; nothing was created;
 * - `duplicate`: some `clientReferenceIds` already exist at Payoneer; nothing was created;
 * - `rejected`: the request was refused as invalid; `itemIndexes` names the culprits when known;
 * - `config`: credentials, program or account are wrong; retrying will not help.
 */
export type PayoutGatewayFailure =
  'rate_limited' | 'transient' | 'insufficient_funds' | 'duplicate' | 'rejected' | 'config';

/** A typed failure of a `PayoutGateway` call. */
export class PayoutGatewayError extends PayoutError {
  override name = 'PayoutGatewayError';

  constructor(
    readonly failure: PayoutGatewayFailure,
    message: string,
    readonly details: {
      retryAfterMs?: number;
      currency?: string;
      clientReferenceIds?: readonly string[];
      itemIndexes?: readonly number[];
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
}
