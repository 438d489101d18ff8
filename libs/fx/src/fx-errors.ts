/** No rate for the pair on the day: the event goes to review, a rate is never guessed. */
export class FxRateMissingError extends Error {
  override readonly name = 'FxRateMissingError';
  /** The same code the fixtures' rate tables use, so runtime and `sb test` agree. */
  readonly code = 'FX_RATE_MISSING';

  constructor(
    readonly fromCurrency: string,
    readonly toCurrency: string,
    readonly day: string,
  ) {
    super(`$fx: no ${fromCurrency}→${toCurrency} rate valid on ${day}`);
  }
}

/** An amount, currency, date or rate that cannot be used; the message names which and why. */
export class FxArgumentError extends Error {
  override readonly name = 'FxArgumentError';
  readonly code = 'FUNCTION_ARGUMENT';
}
