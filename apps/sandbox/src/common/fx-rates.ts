import Decimal from 'decimal.js';

/** USD value of one unit of each currency; the sandbox's single source of exchange rates. */
const DEFAULT_USD_RATES: Record<string, string> = {
  USD: '1',
  EUR: '1.085',
  GBP: '1.27',
  CAD: '0.735',
  AUD: '0.66',
};

/** Error for a currency the rate table does not know. */
export class UnknownCurrencyError extends Error {
  override readonly name = 'UnknownCurrencyError';
}

/** Exchange-rate table used by Payoneer conversions, the ERP's Currency Exchange and scenarios. */
export class FxRates {
  private usdRates = new Map<string, Decimal>();

  constructor() {
    this.reset();
  }

  /** Back to the built-in table. */
  reset(): void {
    this.usdRates = new Map(
      Object.entries(DEFAULT_USD_RATES).map(([code, rate]) => [code, new Decimal(rate)]),
    );
  }

  /** Sets or replaces the USD value of currencies. */
  set(usdRates: Record<string, string>): void {
    for (const [code, rate] of Object.entries(usdRates)) {
      if (!/^[A-Z]{3}$/.test(code))
        throw new UnknownCurrencyError(`"${code}" is not an ISO-4217 currency code`);
      const value = new Decimal(rate);
      if (!value.isFinite() || value.lte(0))
        throw new UnknownCurrencyError(`rate for ${code} must be > 0, got ${rate}`);
      this.usdRates.set(code, value);
    }
  }

  /** The table as decimal strings. */
  list(): Record<string, string> {
    return Object.fromEntries([...this.usdRates].map(([code, rate]) => [code, rate.toString()]));
  }

  /** True when the currency has a rate. */
  knows(currency: string): boolean {
    return this.usdRates.has(currency);
  }

  /** Units of `to` per unit of `from`, to 6 decimal places. */
  rate(from: string, to: string): Decimal {
    if (from === to) return new Decimal(1);
    return this.usd(from).div(this.usd(to)).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
  }

  private usd(currency: string): Decimal {
    const rate = this.usdRates.get(currency);
    if (!rate) throw new UnknownCurrencyError(`no exchange rate for currency "${currency}"`);
    return rate;
  }
}
