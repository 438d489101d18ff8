import Decimal from 'decimal.js';
import { type MappingFunctions } from './mapping-functions';
import { MappingFunctionError } from './mapping-errors';

/** One row of an FX rate table: `amount in from × rate = amount in to`, valid on the days validFrom..validTo (both inclusive). */
export interface FxRateRow {
  from: string;
  to: string;
  /** Decimal string, never a float. */
  rate: string;
  /** YYYY-MM-DD; open-ended when absent. */
  validFrom?: string;
  validTo?: string;
}

/** The tables behind TableMappingFunctions: id maps per namespace, and FX rates. */
export interface MappingFunctionTables {
  lookups?: Record<string, Record<string, string>>;
  rates?: FxRateRow[];
}

/** A rate table row that cannot be used: says which row and field, so a fixture loader can point at its line. */
export class FxRateTableError extends RangeError {
  override readonly name = 'FxRateTableError';

  constructor(
    readonly row: number,
    readonly field: keyof FxRateRow,
    problem: string,
  ) {
    super(`rates[${row}].${field}: ${problem}`);
  }
}

type FxRate = Pick<FxRateRow, 'from' | 'to' | 'validFrom' | 'validTo'> & { rate: Decimal };

// Plenty for products of two money-sized decimals; a clone keeps the global Decimal settings untouched.
const Money = Decimal.clone({ precision: 40 });

const DECIMAL_TEXT = /^[+-]?\d+(\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * $lookup and $fx answered from in-memory tables (the fixtures' `functions:`). A missing entry or
 * rate rejects with an error naming the namespace and id, or the currency pair and date.
 * Conversions are exact decimal products, not rounded: round in the mapping where the target needs it.
 */
export class TableMappingFunctions implements MappingFunctions {
  private readonly lookups: Record<string, Record<string, string>>;
  private readonly rates: readonly FxRate[];

  /** Checks the tables up front: a bad currency, rate or date is an FxRateTableError naming its row. */
  constructor(tables: MappingFunctionTables) {
    this.lookups = tables.lookups ?? {};
    this.rates = (tables.rates ?? []).map((row, index) => {
      if (!CURRENCY.test(row.from))
        throw new FxRateTableError(index, 'from', `"${row.from}" is not a currency code like EUR`);
      if (!CURRENCY.test(row.to))
        throw new FxRateTableError(index, 'to', `"${row.to}" is not a currency code like USD`);
      if (!DECIMAL_TEXT.test(row.rate) || new Money(row.rate).lte(0)) {
        throw new FxRateTableError(index, 'rate', `"${row.rate}" is not a positive decimal string`);
      }
      for (const bound of ['validFrom', 'validTo'] as const) {
        const day = row[bound];
        if (day !== undefined && !DAY.test(day))
          throw new FxRateTableError(index, bound, `"${day}" is not a date like 2026-01-31`);
      }
      if (row.validFrom !== undefined && row.validTo !== undefined && row.validTo < row.validFrom) {
        throw new FxRateTableError(
          index,
          'validTo',
          `${row.validTo} is before validFrom ${row.validFrom}`,
        );
      }
      return {
        from: row.from,
        to: row.to,
        rate: new Money(row.rate),
        validFrom: row.validFrom,
        validTo: row.validTo,
      };
    });
  }

  async lookup(namespace: string, id: string): Promise<string> {
    const table = this.lookups[namespace];
    if (table === undefined) {
      const known = Object.keys(this.lookups);
      throw new MappingFunctionError(
        'LOOKUP_MISSING',
        `$lookup: no id map "${namespace}" (looking up id "${id}"); known id maps: ${known.length > 0 ? known.join(', ') : 'none'}`,
      );
    }
    const value = this.lookupNow(namespace, id);
    if (value === undefined)
      throw new MappingFunctionError(
        'LOOKUP_MISSING',
        `$lookup: no entry for id "${id}" in id map "${namespace}"`,
      );
    return value;
  }

  lookupNow(namespace: string, id: string): string | undefined {
    const table = this.lookups[namespace];
    return table !== undefined && Object.prototype.hasOwnProperty.call(table, id)
      ? table[id]
      : undefined;
  }

  /** Without a date, the rate valid today (UTC). A timestamp counts by its date part. */
  async fx(amount: string | number, from: string, to: string, date?: string): Promise<string> {
    return this.convert(amount, from, to, date);
  }

  fxNow(amount: string | number, from: string, to: string, date?: string): string | undefined {
    try {
      return this.convert(amount, from, to, date);
    } catch {
      return undefined;
    }
  }

  private convert(amount: string | number, from: string, to: string, date?: string): string {
    const value = toDecimal(amount);
    const day = date === undefined ? new Date().toISOString().slice(0, 10) : date.slice(0, 10);
    if (!DAY.test(day))
      throw new MappingFunctionError(
        'FUNCTION_ARGUMENT',
        `$fx: date "${date}" is not a date like 2026-01-31`,
      );
    if (from === to) return value.toFixed();
    // The row that started most recently wins where validity periods overlap.
    let best: FxRate | undefined;
    for (const row of this.rates) {
      if (row.from !== from || row.to !== to) continue;
      if (
        (row.validFrom !== undefined && day < row.validFrom) ||
        (row.validTo !== undefined && day > row.validTo)
      )
        continue;
      if (best === undefined || (row.validFrom ?? '') > (best.validFrom ?? '')) best = row;
    }
    if (best === undefined)
      throw new MappingFunctionError(
        'FX_RATE_MISSING',
        `$fx: no ${from}→${to} rate valid on ${day}`,
      );
    return value.times(best.rate).toFixed();
  }
}

function toDecimal(amount: string | number): Decimal {
  if (typeof amount === 'number' ? !Number.isFinite(amount) : !DECIMAL_TEXT.test(amount)) {
    throw new MappingFunctionError(
      'FUNCTION_ARGUMENT',
      `$fx: amount ${JSON.stringify(amount)} is not a decimal number`,
    );
  }
  // A number goes through its shortest decimal text, so 0.1 stays 0.1 rather than its binary expansion.
  return new Money(typeof amount === 'number' ? String(amount) : amount);
}
