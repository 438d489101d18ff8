import { Injectable } from '@nestjs/common';
import { ReconciliationService } from '@switchboard/reconciliation';
import { type ReconciliationFeed } from '../dashboard/dashboard-feeds';

/** Days the dashboard's counts cover: every day the store can hold. */
const ALL_DAYS = { from: '2000-01-01', to: '2999-12-31' };
const REVIEW_ROWS = 20;

/** The dashboard's reconciliation section: counts by state and the newest open review items. */
@Injectable()
export class ReconciliationDashboardFeed implements ReconciliationFeed {
  constructor(private readonly service: ReconciliationService) {}

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
      })),
    };
  }
}
