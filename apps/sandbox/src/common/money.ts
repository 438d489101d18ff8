import Decimal from 'decimal.js';

/** Parses an amount sent as a JSON number or a decimal string; undefined when it is neither. */
export function parseAmount(value: unknown): Decimal | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Decimal(value.toString());
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()))
    return new Decimal(value.trim());
  return undefined;
}

/** An amount rounded half-up to cents, as the decimal string the sandbox stores. */
export function toMoney(value: Decimal.Value): string {
  return new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

/** A stored decimal string as a JSON number, only at the wire edge of APIs that answer numbers. */
export function moneyNumber(value: string): number {
  return Number(value);
}
