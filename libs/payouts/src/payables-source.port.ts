import { type PayoutLine } from './payout-line';

/** What is owed right now in a source system (Clarity vendor balances, affiliate commissions), as payout lines. */
export interface PayablesSource {
  listPayables(): Promise<PayoutLine[]>;
}
