import { type PayoutItem, type PayoutItemStatus } from '@switchboard/persistence';
import { timerSleep, withGatewayRetry } from './gateway-retry';
import { type GatewayPayoutStatus } from './payout-gateway.port';
import { PAYOUT_ITEM_TRANSITIONS } from './payout-item-transitions';
import { mapGatewayStatus } from './payout-status-mapping';
import { type PayoutsDependencies } from './payouts.dependencies';
import { type ResolvedPayoutsOptions } from './payouts.options';

/** Where news of a payout came from; stored on each transition. */
export type PayoutStatusSource = 'notification' | 'poll' | 'recovery';

/** What applying Payoneer's status did to an item. */
export interface AppliedPayoutStatus {
  clientReferenceId: string;
  status: PayoutItemStatus;
  /** False when the item already was there, or the news was stale (e.g. `Pending` after `paid`). */
  changed: boolean;
}

/** Outcome of one polling run. */
export interface PayoutPollReport {
  checked: number;
  changed: number;
}

/**
 * Tracks payouts after submission: Payoneer notifications first, polling as the fallback for items
 * without news. Moves items along the state machine and tells finance when one needs review.
 */
export class PayoutStatusTracker {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly deps: PayoutsDependencies,
    private readonly options: ResolvedPayoutsOptions,
  ) {
    this.sleep = deps.sleep ?? timerSleep;
  }

  /** Applies a Payoneer notification; null when no stored item has that client reference id. */
  async handleNotification(
    clientReferenceId: string,
    gatewayStatus: GatewayPayoutStatus,
  ): Promise<AppliedPayoutStatus | null> {
    const item = await this.deps.repository.findItemByClientReference(clientReferenceId);
    if (item === null) return null;
    return this.apply(item, gatewayStatus, 'notification');
  }

  /**
   * Asks Payoneer about `pending` items that had no news for `statusPollAfterMs`, up to
   * `statusPollConcurrency` lookups at once. The first lookup that fails (after its retries) stops
   * the run: no further lookup starts, those in flight finish and are applied, then that failure is
   * thrown. Items not asked (and the failed one) stay unchecked, so the next run asks them first.
   */
  async pollAwaitingNews(): Promise<PayoutPollReport> {
    const before = new Date(Date.now() - this.options.statusPollAfterMs);
    const items = await this.deps.repository.listAwaitingNews(
      this.options.account,
      before,
      this.options.statusPollLimit,
    );
    const report: PayoutPollReport = { checked: 0, changed: 0 };
    // Continuing past a failure would send every remaining lookup into the same outage, rate limit
    // or bad credentials; so the run stops as it did when lookups went one at a time.
    let failure: { error: unknown } | undefined;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (failure === undefined) {
        const item = items[next++];
        if (item === undefined) return;
        try {
          const gatewayStatus = await withGatewayRetry(
            () => this.deps.gateway.getStatus(item.clientReferenceId),
            this.options.retry,
            this.sleep,
          );
          report.checked++;
          const applied =
            gatewayStatus === null
              ? await this.toReview(
                  item,
                  'Payoneer has no payout with this client reference id',
                  'poll',
                )
              : await this.apply(item, gatewayStatus, 'poll');
          if (applied.changed) report.changed++;
        } catch (error) {
          // Only the first failure is thrown; an item whose lookup failed alongside waits, unchecked, too.
          failure ??= { error };
        }
      }
    };
    const workers = Math.min(this.options.statusPollConcurrency, items.length);
    await Promise.all(Array.from({ length: workers }, worker));
    if (failure !== undefined) throw failure.error;
    return report;
  }

  /** Moves `item` to where Payoneer's status puts it (if the state machine allows), storing the transition. */
  async apply(
    item: PayoutItem,
    gatewayStatus: GatewayPayoutStatus,
    source: PayoutStatusSource,
  ): Promise<AppliedPayoutStatus> {
    const mapped = mapGatewayStatus(gatewayStatus);
    const unchanged = {
      clientReferenceId: item.clientReferenceId,
      status: item.status,
      changed: false,
    };
    if (
      mapped.status === item.status ||
      !PAYOUT_ITEM_TRANSITIONS[item.status].includes(mapped.status)
    ) {
      await this.deps.repository.markChecked([item.id], gatewayStatus.rawStatus);
      return unchanged;
    }
    const moved = await this.deps.repository.transition([item.id], {
      from: [item.status],
      to: mapped.status,
      actor: `payoneer:${source}`,
      reason: mapped.reason,
      details: { payoneer: gatewayStatus },
      payoneerPayoutId: gatewayStatus.payoutId,
      payoneerStatus: gatewayStatus.rawStatus,
      checked: true,
    });
    if (moved.length === 0) {
      // Someone else moved it meanwhile; report what is stored now.
      const current = await this.deps.repository.findItem(item.id);
      return { ...unchanged, status: current?.status ?? item.status };
    }
    if (mapped.needsReview) await this.alertFinance(item, mapped.reason ?? 'cancelled by Payoneer');
    return { clientReferenceId: item.clientReferenceId, status: mapped.status, changed: true };
  }

  /** Puts an item in review with a reason and tells finance. */
  async toReview(
    item: PayoutItem,
    reason: string,
    source: PayoutStatusSource | 'validation' | 'submission',
  ): Promise<AppliedPayoutStatus> {
    const moved = await this.deps.repository.transition([item.id], {
      from: [item.status],
      to: 'in_review',
      actor:
        source === 'validation' || source === 'submission'
          ? `system:${source}`
          : `payoneer:${source}`,
      reason,
    });
    if (moved.length > 0) await this.alertFinance(item, reason);
    return {
      clientReferenceId: item.clientReferenceId,
      status: 'in_review',
      changed: moved.length > 0,
    };
  }

  private async alertFinance(item: PayoutItem, reason: string): Promise<void> {
    await this.deps.alerts.raise({
      rule: 'payouts.item_in_review',
      severity: 'warning',
      subject: `payout-item:${item.clientReferenceId}`,
      message: `Payout ${item.clientReferenceId} (${item.amount} ${item.currency} to ${item.payeeId ?? item.partyReference}) needs review: ${reason}`,
      details: {
        team: 'finance',
        itemId: item.id,
        batchId: item.batchId,
        businessReference: item.businessReference,
        partyReference: item.partyReference,
        payeeId: item.payeeId,
        reason,
      },
    });
  }
}
