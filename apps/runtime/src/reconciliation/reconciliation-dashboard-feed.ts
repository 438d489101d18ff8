import { Injectable } from '@nestjs/common';
import {
  ReconciliationInputError,
  ReconciliationNotFoundError,
  ReconciliationService,
  ReviewConflictError,
} from '@switchboard/reconciliation';
import { type ReconciliationFeed } from '../dashboard/dashboard-feeds';
import { ReconciliationReview } from './reconciliation-review.service';

/** Days the dashboard's counts cover: every day the store can hold. */
const ALL_DAYS = { from: '2000-01-01', to: '2999-12-31' };
const REVIEW_ROWS = 20;

/** The dashboard's reconciliation section: counts by state and the newest open review items. */
@Injectable()
export class ReconciliationDashboardFeed implements ReconciliationFeed {
  constructor(
    private readonly service: ReconciliationService,
    private readonly review: ReconciliationReview,
  ) {}

  async summary(): ReturnType<ReconciliationFeed['summary']> {
    const [rows, open] = await Promise.all([
      this.service.report(ALL_DAYS.from, ALL_DAYS.to),
      this.service.listReviewItems({ status: 'open' }, { limit: REVIEW_ROWS }),
    ]);
    const total = (pick: (row: (typeof rows)[number]) => number): number =>
      rows.reduce((sum, row) => sum + pick(row), 0);
    const matched = total((row) => row.matchedCount);
    const posted = total((row) => row.postedCount);
    return {
      counts: [
        { status: 'posted', count: posted },
        { status: 'matched, not posted', count: matched - posted },
        { status: 'pending', count: total((row) => row.pendingCount) },
        { status: 'in review', count: total((row) => row.inReviewCount) },
      ],
      review: open.items.map((item) => ({
        id: item.id,
        reference: item.subjectKey,
        reason: item.reason,
        amount: item.amount,
        currency: item.currency,
        createdAt: item.createdAt,
        topCandidate: describeCandidate(
          item.subjectType === 'payment' ? item.candidates[0] : undefined,
        ),
      })),
    };
  }

  async approve(id: string, actor: string): Promise<string> {
    return answer(async () => {
      const outcome = await this.review.approve(id, actor);
      return outcome.posted
        ? `Approved review item ${id}: posted ${outcome.reference} to the ERP and marked the orders.`
        : `Approved review item ${id} (${outcome.reference}); the posting failed for now, an alert was raised and the sweep retries it.`;
    });
  }

  async dismiss(id: string, actor: string, reason: string): Promise<string> {
    return answer(async () => {
      await this.service.dismiss(id, actor, reason);
      return `Dismissed review item ${id}: ${reason}`;
    });
  }
}

/** "clarity:1042+clarity:1043 (score 0.62)" for a candidate the matcher weighed, else undefined. */
function describeCandidate(candidate: unknown): string | undefined {
  const { orderKeys, score } = (candidate ?? {}) as { orderKeys?: unknown; score?: unknown };
  if (!Array.isArray(orderKeys) || orderKeys.length === 0) return undefined;
  return `${orderKeys.join('+')}${typeof score === 'number' ? ` (score ${score.toFixed(2)})` : ''}`;
}

/** A refused review action (unknown item, already resolved, nothing to approve) is the notice, not a 500. */
async function answer(act: () => Promise<string>): Promise<string> {
  try {
    return await act();
  } catch (error) {
    if (
      error instanceof ReconciliationNotFoundError ||
      error instanceof ReviewConflictError ||
      error instanceof ReconciliationInputError
    ) {
      return error.message;
    }
    throw error;
  }
}
