/** The functions a mapping can call beyond JSONata's own. Implementations reject rather than guess. */
export interface MappingFunctions {
  /** $lookup(namespace, id): id-map lookup, e.g. $lookup("payoneer-payee", clarityAccountId) */
  lookup(namespace: string, id: string): Promise<string>;
  /** $fx(amount, from, to, date?): currency conversion; amount is a decimal string or number, result a decimal string */
  fx(amount: string | number, from: string, to: string, date?: string): Promise<string>;
}
