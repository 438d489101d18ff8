/** A configured rate: 1 from-currency = `rate` to-currency, as a decimal string. */
export interface ConfiguredFxRate {
  rate: string;
  validFrom: string;
  validTo: string | null;
}

/** Where configured rates live (Postgres in the runtime: FxRateRepository fits it as is). */
export interface FxRateSource {
  /** The rate valid on `day` (YYYY-MM-DD), or undefined. */
  findValid(fromCurrency: string, toCurrency: string, day: string): Promise<ConfiguredFxRate | undefined>;
}
