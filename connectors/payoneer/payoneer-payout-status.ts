import { type JsonSchema } from '@switchboard/connector-sdk';

import { PAYONEER_REASON_CODES } from './payoneer.errors';
import { amountText } from './payoneer-amount';

/** Canonical payout statuses this connector can tell from Payoneer's. */
export type CanonicalPayoutStatus = 'submitted' | 'pending' | 'paid' | 'failed' | 'cancelled';

/** A payout's state as Payoneer reports it, camelCase, amounts as decimal strings. */
export interface PayoutStatus {
  clientReferenceId: string;
  payoutId?: string;
  payeeId?: string;
  /** Payoneer's own status: Pending, Pending Payee, Transferred, Cancelled… */
  status: string;
  canonicalStatus: CanonicalPayoutStatus;
  amount?: string;
  currency?: string;
  targetAmount?: string;
  targetCurrency?: string;
  payoutDate?: string;
  loadDate?: string;
  reasonCode?: string;
  reasonDescription?: string;
  /** Why it failed, when Payoneer said: PAYEE_NOT_FOUND, PAYEE_INACTIVE, INSUFFICIENT_FUNDS… */
  failureCode?: string;
}

const OPTIONAL_TEXT = { type: 'string' };

/** JSON Schema of `PayoutStatus`. */
export const PAYOUT_STATUS_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['clientReferenceId', 'status', 'canonicalStatus'],
  properties: {
    clientReferenceId: { type: 'string' },
    payoutId: OPTIONAL_TEXT,
    payeeId: OPTIONAL_TEXT,
    status: { type: 'string' },
    canonicalStatus: { enum: ['submitted', 'pending', 'paid', 'failed', 'cancelled'] },
    amount: OPTIONAL_TEXT,
    currency: OPTIONAL_TEXT,
    targetAmount: OPTIONAL_TEXT,
    targetCurrency: OPTIONAL_TEXT,
    payoutDate: OPTIONAL_TEXT,
    loadDate: OPTIONAL_TEXT,
    reasonCode: OPTIONAL_TEXT,
    reasonDescription: OPTIONAL_TEXT,
    failureCode: OPTIONAL_TEXT,
  },
};

/** The v4 status answer's `result`. */
export interface PayoneerPayoutResult {
  payout_date?: string;
  amount?: number | string;
  currency?: string;
  status?: string;
  payee_id?: string;
  payout_id?: string | number;
  load_date?: string;
  target_amount?: number | string;
  target_currency?: string;
  reason_code?: number | string;
  reason_description?: string;
  cancel_reason_code?: number | string;
  cancel_reason_description?: string;
}

/** Maps Payoneer's status (and cancel reason) to the canonical set and a failure code. */
export function payoutStatusFrom(
  clientReferenceId: string,
  result: PayoneerPayoutResult,
): PayoutStatus {
  const status = result.status ?? 'Unknown';
  const reasonCode = text(result.cancel_reason_code ?? result.reason_code);
  const reasonDescription = result.cancel_reason_description ?? result.reason_description;
  const failureCode = reasonCode === undefined ? undefined : failureCodeOf(reasonCode);
  return dropUndefined({
    clientReferenceId,
    payoutId: text(result.payout_id),
    payeeId: result.payee_id,
    status,
    canonicalStatus: canonicalStatusOf(status, reasonCode),
    amount: result.amount === undefined ? undefined : amountText(result.amount),
    currency: result.currency,
    targetAmount: result.target_amount === undefined ? undefined : amountText(result.target_amount),
    targetCurrency: result.target_currency,
    payoutDate: result.payout_date,
    loadDate: result.load_date,
    reasonCode,
    reasonDescription: reasonDescription === '' ? undefined : reasonDescription,
    failureCode,
  });
}

/** Canonical status of a Payoneer status: a cancel with a reason code is a failure. */
function canonicalStatusOf(status: string, reasonCode: string | undefined): CanonicalPayoutStatus {
  const normalized = status.toLowerCase();
  if (normalized === 'transferred' || normalized === 'funded') return 'paid';
  if (normalized.startsWith('pending')) return 'pending';
  if (normalized === 'cancelled' || normalized === 'canceled')
    return reasonCode === undefined ? 'cancelled' : 'failed';
  if (normalized === 'failed') return 'failed';
  return 'submitted';
}

/** Our code for a Payoneer reason code, or `PAYONEER_<code>` when it is not a known one. */
function failureCodeOf(reasonCode: string): string {
  return PAYONEER_REASON_CODES[Number(reasonCode)] ?? `PAYONEER_${reasonCode}`;
}

function text(value: number | string | undefined | null): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
