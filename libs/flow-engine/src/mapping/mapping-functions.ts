/** The functions a mapping can call beyond JSONata's own. Implementations reject rather than guess. */
export interface MappingFunctions {
  /** $lookup(namespace, id): id-map lookup, e.g. $lookup("payoneer-payee", clarityAccountId) */
  lookup(namespace: string, id: string): Promise<string>;
  /** $fx(amount, from, to, date?): currency conversion; amount is a decimal string or number, result a decimal string */
  fx(amount: string | number, from: string, to: string, date?: string): Promise<string>;
  /**
   * Optional: the answer of `lookup` when it is known in memory right now (a status table, a
   * fixture's table), else undefined — for a database read, and for a missing entry, whose
   * error `lookup` reports. Lets a mapping run on the synchronous fast path.
   */
  lookupNow?(namespace: string, id: string): string | undefined;
  /** Optional: the answer of `fx` when it is known in memory right now, else undefined (as lookupNow). */
  fxNow?(amount: string | number, from: string, to: string, date?: string): string | undefined;
}
