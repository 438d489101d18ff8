/**
 * An amount as a decimal string. Payoneer sends some amounts as JSON numbers (which lose
 * trailing zeros) and others as strings; numbers get two decimals so both read alike.
 */
export function amountText(value: number | string): string {
  if (typeof value === 'string') return value;
  const cents = value * 100;
  // 5.1 * 100 is 509.99999999999994: compare with a tolerance far below a cent.
  return Math.abs(cents - Math.round(cents)) < 1e-6 ? value.toFixed(2) : String(value);
}
