/**
 * What the dashboard reads from features that may or may not be part of this build. Each feature
 * registers a provider for its token when it is loaded; a missing provider is shown as "not yet
 * available in this build" instead of empty or invented data.
 */

/** Reconciliation state: counts by match status and the open review items. */
export interface ReconciliationFeed {
  summary(): Promise<{
    counts: Array<{ status: string; count: number }>;
    review: Array<{ id: string; reference: string; reason: string; amount: string; currency: string; createdAt: Date }>;
  }>;
}

/** Payout batches with their state; `paused` is the queue-wide switch (insufficient funds). */
export interface PayoutFeed {
  summary(): Promise<{
    paused: boolean;
    pauseReason: string | null;
    batches: Array<{ id: string; status: string; items: number; amount: string; currency: string; createdAt: Date }>;
  }>;
}

/** Fees posted, summed per day and currency (decimal strings). */
export interface FeeFeed {
  byDay(days: number): Promise<Array<{ day: string; currency: string; amount: string }>>;
}

export const RECONCILIATION_FEED = Symbol('ReconciliationFeed');
export const PAYOUT_FEED = Symbol('PayoutFeed');
export const FEE_FEED = Symbol('FeeFeed');
