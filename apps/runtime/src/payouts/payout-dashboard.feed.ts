import { Injectable } from '@nestjs/common';
import { PayoutError } from '@switchboard/payouts';
import type { PayoutFeed, PayoutFeedSummary } from '../dashboard/dashboard-feeds';
import { PayoutAdminService } from './payout-admin.service';
import { PayoutsRuntime } from './payouts-runtime.service';

const RECENT_BATCHES = 10;

/** The dashboard's payout section: paused queues and the latest batches with their progress. */
@Injectable()
export class PayoutDashboardFeed implements PayoutFeed {
  constructor(
    private readonly payouts: PayoutsRuntime,
    private readonly admin: PayoutAdminService,
  ) {}

  get available(): boolean {
    return this.payouts.enabled;
  }

  async summary(): Promise<PayoutFeedSummary> {
    const wiring = this.payouts.require();
    const [pauses, page] = await Promise.all([
      wiring.submission.listPausedQueues(),
      wiring.repository.listBatches(
        { account: wiring.config.account },
        { limit: RECENT_BATCHES, offset: 0 },
      ),
    ]);
    const batches = await Promise.all(page.items.map((batch) => this.admin.get(batch.id)));
    return {
      pauses: pauses.map((pause) => ({
        currency: pause.currency,
        reason: pause.reason,
        since: pause.pausedAt,
      })),
      batches: batches.map((summary) => ({
        id: summary.batch.id,
        reference: summary.batch.reference,
        state: summary.state,
        items: summary.total,
        counts: Object.entries(summary.counts)
          .filter(([, count]) => count > 0)
          .map(([status, count]) => ({ status, count })),
        totals: Object.entries(summary.totals).map(([currency, amount]) => ({ currency, amount })),
        createdAt: summary.batch.createdAt,
      })),
      totalBatches: page.total,
    };
  }

  async pause(currency: string, actor: string, note: string | undefined): Promise<string> {
    return this.answer(async () => {
      await this.payouts.require().submission.pauseQueue(currency, actor, note);
      return `Paused the ${currency} payout queue: nothing is sent in ${currency} until it is resumed.`;
    });
  }

  async resume(currency: string, actor: string): Promise<string> {
    return this.answer(async () => {
      await this.payouts.require().submission.resumeQueue(currency, actor);
      return `Resumed the ${currency} payout queue: the next run sends from where it stopped.`;
    });
  }

  /** A refused action (already paused, not paused, bad currency) is the notice, not a 500. */
  private async answer(act: () => Promise<string>): Promise<string> {
    try {
      return await act();
    } catch (error) {
      if (error instanceof PayoutError) return error.message;
      throw error;
    }
  }
}
