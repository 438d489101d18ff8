import { type ReviewReason } from '@switchboard/persistence';
import { type JournalEntryPlan } from './canonical-records';
import { type MatchResult } from './matcher/match-result';

/** What ingesting an order or payment led to. */
export type ReconciliationDecision =
  | {
      status: 'matched';
      matchId: string;
      kind: 'exact' | 'scored' | 'manual';
      score: number;
      orderKeys: string[];
      paymentKeys: string[];
      /** The balanced canonical.journal-entry@1 to post; then call markPosted(matchId, erpReference). */
      plan: JournalEntryPlan;
      /** True once the ERP accepted it: a replay must not post again. */
      posted: boolean;
      /** The record was seen before; this is the decision it led to then. */
      duplicate: boolean;
      evidence: Record<string, unknown>;
    }
  | {
      status: 'review';
      reviewItemId: string;
      reason: ReviewReason;
      score: number;
      duplicate: boolean;
      evidence: Record<string, unknown>;
    }
  | {
      status: 'pending';
      /** unmatched: no convincing counterpart yet; partial: part of an order's payment, held until the rest arrives; link: a Clarity payment recorded. */
      reason: 'unmatched' | 'partial' | 'link' | 'not-completed' | 'awaiting-payment';
      duplicate: boolean;
      evidence?: MatchResult['evidence'];
    };
