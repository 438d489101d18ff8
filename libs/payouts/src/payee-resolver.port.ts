/** Maps who is owed (a Clarity vendor/affiliate key, a CSV payee column) to a Payoneer payee id, through the id map. */
export interface PayeeResolver {
  /** The Payoneer payee id of `partyReference`, or null when the id map knows none. */
  resolve(partyReference: string): Promise<string | null>;
}
