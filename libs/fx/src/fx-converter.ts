import Decimal from 'decimal.js';
import { FxArgumentError, FxRateMissingError } from './fx-errors';
import { type FxRateSource } from './fx-rate-source';

/** What to convert. `providerRate` is the rate the record itself carries (Payoneer's transfer_fx_rate). */
export interface FxConversionRequest {
  amount: string | number;
  from: string;
  to: string;
  /** YYYY-MM-DD or a timestamp (its date part counts); today (UTC) when absent. */
  date?: string;
  /** 1 `from` = providerRate `to`; used before the rate table when present. */
  providerRate?: string;
}

/** A conversion and where its rate came from. Amounts are exact decimal strings: round where the target needs it. */
export interface FxConversion {
  amount: string;
  rate: string;
  rateSource: 'same-currency' | 'provider' | 'rate-table';
  day: string;
}

// Plenty for a product of two money-sized decimals; a clone leaves the global Decimal settings alone.
const Money = Decimal.clone({ precision: 40 });
const DECIMAL_TEXT = /^[+-]?\d+(\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Currency conversion with decimal.js: the record's own rate first, else the configured rate table. */
export class FxConverter {
  constructor(
    private readonly rates: FxRateSource,
    private readonly today: () => Date = () => new Date(),
  ) {}

  /** Converts exactly; FxRateMissingError when neither the record nor the table has a rate. */
  async convert(request: FxConversionRequest): Promise<FxConversion> {
    const amount = toDecimal(request.amount, 'amount');
    for (const [field, currency] of [
      ['from', request.from],
      ['to', request.to],
    ] as const) {
      if (!CURRENCY.test(currency)) throw new FxArgumentError(`$fx: ${field} "${currency}" is not a currency code like EUR`);
    }
    const day = request.date === undefined ? this.today().toISOString().slice(0, 10) : request.date.slice(0, 10);
    if (!DAY.test(day)) throw new FxArgumentError(`$fx: date "${request.date}" is not a date like 2026-01-31`);
    if (request.from === request.to) return { amount: amount.toFixed(), rate: '1', rateSource: 'same-currency', day };
    if (request.providerRate !== undefined) {
      const rate = toDecimal(request.providerRate, 'provider rate');
      if (rate.lte(0)) throw new FxArgumentError(`$fx: provider rate "${request.providerRate}" is not positive`);
      return { amount: amount.times(rate).toFixed(), rate: rate.toFixed(), rateSource: 'provider', day };
    }
    const configured = await this.rates.findValid(request.from, request.to, day);
    if (configured === undefined) throw new FxRateMissingError(request.from, request.to, day);
    const rate = new Money(configured.rate);
    return { amount: amount.times(rate).toFixed(), rate: rate.toFixed(), rateSource: 'rate-table', day };
  }
}

function toDecimal(value: string | number, what: string): Decimal {
  if (typeof value === 'number' ? !Number.isFinite(value) : !DECIMAL_TEXT.test(value)) {
    throw new FxArgumentError(`$fx: ${what} ${JSON.stringify(value)} is not a decimal number`);
  }
  // A number goes through its shortest decimal text, so 0.1 stays 0.1 rather than its binary expansion.
  return new Money(typeof value === 'number' ? String(value) : value);
}
