/** One payment handed to Payoneer. `amount` is a decimal string with two places. */
export interface PayoutSubmission {
  clientReferenceId: string;
  payeeId: string;
  amount: string;
  currency: string;
  description: string;
}

/** Payoneer's view of one payout, in Payoneer's status words mapped to a closed set. */
export interface GatewayPayoutStatus {
  status: 'pending' | 'pending_payee' | 'transferred' | 'cancelled' | 'failed';
  /** Payoneer's own status string, kept for operators. */
  rawStatus: string;
  payoutId?: string;
  /** Cancel or reason code (10005 payee not found, 10009 payee inactive, …). */
  reasonCode?: number;
  reasonDescription?: string;
}

/** Whether a payee can be paid: only `active` ones can. */
export type GatewayPayeeStatus = 'active' | 'pending' | 'inactive' | 'unknown';

/**
 * The lib's only way to Payoneer. Failures are `PayoutGatewayError`s; the production adapter wraps
 * the Payoneer connector, tests use one over HTTP against the sandbox.
 */
export interface PayoutGateway {
  /** Available balance in `currency` as a decimal string ("0.00" when the account holds none). */
  getBalance(currency: string): Promise<string>;
  /** Submits the items as one mass payout; all or nothing. */
  submit(items: readonly PayoutSubmission[]): Promise<void>;
  /** Payoneer's status of a payout; null when Payoneer has no payout with that reference. */
  getStatus(clientReferenceId: string): Promise<GatewayPayoutStatus | null>;
  /** Asks Payoneer to cancel a payout (performed asynchronously). */
  cancel(clientReferenceId: string): Promise<void>;
  getPayeeStatus(payeeId: string): Promise<GatewayPayeeStatus>;
}
