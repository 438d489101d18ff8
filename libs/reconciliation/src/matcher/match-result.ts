import { type ReviewReason } from '@switchboard/persistence';
import { type OrderFacts, type PaymentFacts } from '../reconciliation-facts';

/** One rule the matcher applied, with what it saw ("similarity 0.91", "diff 0.01 ≤ 0.02"). */
export interface RuleHit {
  rule: string;
  detail?: string;
}

/** An order the matcher may pair a payment with, and where it stands. */
export interface OrderCandidate {
  order: OrderFacts;
  /** `closed` orders are matched or under review already: a strong hit on one means a duplicate payment. */
  state: 'open' | 'partial' | 'closed';
  /** What earlier part-payments covered, in the order currency (decimal string). */
  paidSoFar: string;
  /** Keys of the part-payments held against this order. */
  heldPaymentKeys: string[];
  /** Transaction ids the order's own system (Clarity payments) recorded for it. */
  transactionIds: string[];
}

/** One hypothesis: the payment pays these orders, with its score and the rules behind it. */
export interface CandidateAssessment {
  orderKeys: string[];
  score: number;
  /** How the amounts compared: `fit` within tolerance, `partial` short of the balance, `over` above it. */
  amountFit: 'fit' | 'partial' | 'over' | 'unconvertible';
  /** The reference or transaction id points at these orders convincingly. */
  strongKey: boolean;
  /** The transaction id or the whole reference names this order exactly. */
  exactKey: boolean;
  /** Exact key, same currency and exact amount: posts without scoring. */
  exact: boolean;
  closed: boolean;
  rules: RuleHit[];
  /** Payment gross in the order currency minus what was due (decimal string). */
  amountDifference: string;
  allocation: PaymentAllocation;
}

/** The payment's money in the order currency, as the journal entry will book it. */
export interface PaymentAllocation {
  paymentKey: string;
  /** What the payment settles of the orders: cash + fee. */
  gross: string;
  fee: string;
  cash: string;
  /** Rate applied from the payment currency to the order currency, when they differ. */
  fxRate?: string;
}

/** auto: post it; partial: hold as a part-payment; review: a person decides; unmatched: wait for the missing side. */
export type MatchOutcome = 'auto' | 'partial' | 'review' | 'unmatched';

/** What the pure matcher decided for one payment, with the evidence a reviewer or auditor reads. */
export interface MatchResult {
  outcome: MatchOutcome;
  reviewReason?: ReviewReason;
  kind: 'exact' | 'scored';
  orderKeys: string[];
  score: number;
  allocation?: PaymentAllocation;
  evidence: {
    payment: Pick<
      PaymentFacts,
      'key' | 'transactionId' | 'orderReference' | 'amount' | 'currency' | 'fee'
    >;
    rules: RuleHit[];
    tolerances: {
      roundingTolerance: string;
      fxTolerance: string;
      dateWindowDays: number;
      autoPostThreshold: number;
      minimumMargin: number;
    };
    candidates: Array<Omit<CandidateAssessment, 'allocation'>>;
  };
}
