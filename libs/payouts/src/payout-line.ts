import Decimal from 'decimal.js';
import { PayoutInputError } from './payout.errors';

/** One thing to pay, as a batch is built from Clarity, an API request or a CSV upload. */
export interface PayoutLine {
  /** What is being paid, unique for all time (e.g. `COMM-2026-03-AFF-0001`); the idempotency root. */
  businessReference: string;
  /** Who is owed, in the source's terms (e.g. Clarity account key `VEND-0001`); resolved to a payee. */
  partyReference: string;
  /** Decimal string, at most two places (e.g. "120.50"). */
  amount: string;
  currency: string;
  description: string;
}

const BUSINESS_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,59}$/;
const AMOUNT = /^-?\d{1,15}(\.\d{1,2})?$/;

/**
 * Checks the shape of batch lines (each problem named as `<where>[i].<field>`). Business rules
 * (amount > 0, supported currency, payee known and active) are checked later, per item, so one bad
 * line goes to review instead of refusing the batch.
 */
export function checkPayoutLines(lines: readonly PayoutLine[], where: string): PayoutLine[] {
  const problems: string[] = [];
  if (lines.length === 0) problems.push(`${where}: a batch needs at least one line`);
  const seen = new Map<string, number>();
  const checked = lines.map((line, index) => {
    const at = (field: string) => `${where}[${index}].${field}`;
    const text = (field: keyof PayoutLine) => {
      const value: unknown = line[field];
      if (typeof value !== 'string' || value.trim() === '') {
        problems.push(`${at(field)}: is required`);
        return '';
      }
      return value.trim();
    };
    const businessReference = text('businessReference');
    if (businessReference !== '' && !BUSINESS_REFERENCE.test(businessReference))
      problems.push(
        `${at('businessReference')}: "${businessReference}" must be 1–60 letters, digits, . _ : - (starting with a letter or digit)`,
      );
    const first = seen.get(businessReference);
    if (businessReference !== '' && first !== undefined)
      problems.push(
        `${at('businessReference')}: "${businessReference}" repeats ${where}[${first}]`,
      );
    seen.set(businessReference, index);
    const amount = text('amount');
    if (amount !== '' && !AMOUNT.test(amount))
      problems.push(`${at('amount')}: "${amount}" is not a decimal with at most two places`);
    const currency = text('currency').toUpperCase();
    if (currency !== '' && !/^[A-Z]{3}$/.test(currency))
      problems.push(`${at('currency')}: "${currency}" is not an ISO-4217 code`);
    return {
      businessReference,
      partyReference: text('partyReference'),
      amount: AMOUNT.test(amount) ? new Decimal(amount).toFixed(2) : amount,
      currency,
      description: text('description'),
    };
  });
  if (problems.length > 0) throw new PayoutInputError('invalid payout lines', problems);
  return checked;
}
