/**
 * What the dashboard reads from features that may or may not be part of this build. Each feature
 * registers a provider for its token when it is loaded; a missing provider is shown as "not yet
 * available in this build" instead of empty or invented data.
 */

/** Reconciliation state: counts by match status and the open review items. */
export interface ReconciliationFeed {
  summary(): Promise<{
    counts: Array<{ status: string; count: number }>;
    review: Array<{
      id: string;
      reference: string;
      reason: string;
      amount: string;
      currency: string;
      createdAt: Date;
      /** The matcher's best candidate for a payment item, e.g. "clarity:1042 (score 0.62)"; approving accepts it. */
      topCandidate?: string;
    }>;
  }>;
  /** Accepts an item's top candidate and posts the match; resolves to what happened, in words. */
  approve(id: string, actor: string): Promise<string>;
  /** Closes an item without a match; the reason goes to the audit log. */
  dismiss(id: string, actor: string, reason: string): Promise<string>;
}

/** What the payout section shows: paused currency queues and the latest batches. */
export interface PayoutFeedSummary {
  /** Queues that send nothing until resumed (insufficient funds, or an operator). */
  pauses: Array<{ currency: string; reason: string; since: Date }>;
  batches: Array<{
    id: string;
    reference: string;
    state: string;
    items: number;
    /** Items per status, only the statuses present. */
    counts: Array<{ status: string; count: number }>;
    /** Sum per currency, decimal strings. */
    totals: Array<{ currency: string; amount: string }>;
    createdAt: Date;
  }>;
  /** All batches of the account (the section lists the latest). */
  totalBatches: number;
}

/** Payout batches and queues (libs/payouts through the runtime's payout wiring). */
export interface PayoutFeed {
  summary(): Promise<PayoutFeedSummary>;
  /** Stops a currency queue until resumed; resolves to what happened, in words for the notice line. */
  pause(currency: string, actor: string, note: string | undefined): Promise<string>;
  resume(currency: string, actor: string): Promise<string>;
}

/** Fees posted, summed per day and currency (decimal strings). */
export interface FeeFeed {
  byDay(days: number): Promise<Array<{ day: string; currency: string; amount: string }>>;
}

export const RECONCILIATION_FEED = Symbol('ReconciliationFeed');
export const PAYOUT_FEED = Symbol('PayoutFeed');
export const FEE_FEED = Symbol('FeeFeed');
