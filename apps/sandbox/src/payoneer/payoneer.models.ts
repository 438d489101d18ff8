/** Payee status types: 0 PENDING, 1 ACTIVE, 99 INACTIVE (payoneer.md §5). */
export const PAYEE_STATUS = { PENDING: 0, ACTIVE: 1, INACTIVE: 99 } as const;
export type PayeeStatusName = keyof typeof PAYEE_STATUS;
export type PayeeStatusType = (typeof PAYEE_STATUS)[PayeeStatusName];

/** A payee registered with the program. */
export interface PayoneerPayee {
  payeeId: string;
  status: PayeeStatusType;
  /** Payoneer's own account id, set once the payee is approved. */
  accountId?: string;
  registrationDate?: string;
  payoutMethod: { type: 'BANK' | 'PAYONEER_ACCOUNT'; currency: string };
  type: 'INDIVIDUAL' | 'COMPANY';
  contact: { first_name: string; last_name: string; email: string };
  address: { country: string; city: string };
  registrationToken?: string;
}

/** v4 payout statuses the simulator produces (payoneer.md §3). */
export type PayoutStatus = 'Pending' | 'Pending Payee' | 'Transferred' | 'Cancelled';

/** One entry of a payout's status history. */
export interface PayoutStatusChange {
  status: PayoutStatus;
  at: string;
  reasonCode?: number;
  reasonDescription?: string;
}

/** A mass-payout item, keyed by the partner's client_reference_id. */
export interface PayoneerPayout {
  programId: string;
  clientReferenceId: string;
  payoutId: string;
  payeeId: string;
  amount: string;
  currency: string;
  description: string;
  groupId?: string;
  payoutDateMs: number;
  status: PayoutStatus;
  /** When the next transition is due (simulated ms); undefined while waiting on the payee. */
  settleAtMs?: number;
  loadDateMs?: number;
  targetAmount?: string;
  targetCurrency?: string;
  reasonCode?: number;
  reasonDescription?: string;
  cancelReasonCode?: number;
  cancelReasonDescription?: string;
  cancelRequested: boolean;
  /** Set by an `invalid_payee` fault: the payout will be cancelled as if the payee did not exist. */
  forcedInvalidPayee: boolean;
  /** Id of the outgoing transaction that debited the balance. */
  transactionId: string;
  history: PayoutStatusChange[];
}

/** Transaction categories (payoneer.md §8). */
export const TRANSACTION_CATEGORIES = {
  1: 'Incoming Payments',
  2: 'Refunds',
  3: 'Withdrawal To Bank',
  4: 'Card Transactions',
  5: 'Outgoing Payments',
  6: 'Fees',
} as const;
export type TransactionCategoryId = keyof typeof TRANSACTION_CATEGORIES;

/** Transaction statuses (payoneer.md §8). */
export const TRANSACTION_STATUSES = {
  1: 'Pending',
  2: 'Completed',
  3: 'Canceled',
  4: 'Failed',
} as const;
export type TransactionStatusId = keyof typeof TRANSACTION_STATUSES;

/** A movement on one currency balance of the account. */
export interface PayoneerTransaction {
  id: string;
  categoryId: TransactionCategoryId;
  description: string;
  dateMs: number;
  /** Signed decimal string: what moved on the balance. */
  amount: string;
  currency: string;
  balanceId: string;
  runningBalance: string;
  statusId: TransactionStatusId;
  /** `details` of the transactions API: strings, as the real API sends them. */
  details: Record<string, string>;
  source?: Record<string, string>;
  target?: Record<string, string>;
}

/** One currency balance of the account. */
export interface PayoneerBalance {
  id: string;
  currency: string;
  available: string;
  updatedMs: number;
}
