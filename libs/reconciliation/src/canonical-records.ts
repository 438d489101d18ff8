/** The parts of the canonical schemas (canonical.order@1, canonical.payment@1, canonical.journal-entry@1) this lib reads and writes. */

export interface CanonicalMoney {
  amount: string;
  currency: string;
}

export interface CanonicalSourceRef {
  source: 'clarity' | 'payoneer' | 'erp';
  sourceId: string;
}

/** canonical.order@1 (fields reconciliation uses; others pass through untouched). */
export interface CanonicalOrder {
  id: CanonicalSourceRef;
  orderNumber?: string;
  status: string;
  customer?: { id: CanonicalSourceRef; name?: string; email?: string };
  currency: string;
  totals: { subTotal: CanonicalMoney; total: CanonicalMoney; [part: string]: CanonicalMoney };
  balanceDue?: CanonicalMoney;
  createdAt: string;
  [field: string]: unknown;
}

/** canonical.payment@1 (fields reconciliation uses). */
export interface CanonicalPayment {
  id: CanonicalSourceRef;
  transactionId: string;
  orderId?: CanonicalSourceRef;
  orderReference?: string;
  status: 'pending' | 'completed' | 'failed' | 'refunded' | 'partially_refunded';
  amount: CanonicalMoney;
  fee?: CanonicalMoney;
  netAmount?: CanonicalMoney;
  fxRate?: { rate: string; sourceCurrency: string; targetCurrency: string };
  settledAmount?: CanonicalMoney;
  payer?: { id?: CanonicalSourceRef; name?: string; email?: string };
  createdAt: string;
  [field: string]: unknown;
}

/** One line of a journal entry: exactly one of debit and credit is non-zero. */
export interface JournalEntryLine {
  account: string;
  debit: string;
  credit: string;
  costCenter?: string;
  remark?: string;
}

/** A canonical.journal-entry@1 document the runtime posts to the ERP; `reference` makes the posting idempotent. */
export interface JournalEntryPlan {
  reference: string;
  kind: 'revenue' | 'fee' | 'payout' | 'refund' | 'adjustment';
  postingDate: string;
  currency: string;
  company?: string;
  remark?: string;
  lines: JournalEntryLine[];
  sourceRecords: Array<{
    type: 'order' | 'payment';
    source: CanonicalSourceRef['source'];
    sourceId: string;
  }>;
}
