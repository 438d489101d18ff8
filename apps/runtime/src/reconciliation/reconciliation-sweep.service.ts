import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ReconciliationService } from '@switchboard/reconciliation';
import { DataSource } from 'typeorm';
import { AlertService } from '../alerts/alert.service';
import { RuntimeConfig } from '../config/runtime-config';
import { ReconciliationPosting } from './reconciliation-posting.service';
import { reviewItemAlert } from './review-alert';

/** What one sweep did. */
export interface SweepResult {
  /** Orders and payments sent to review as unmatched or part-paid for too long. */
  sweptIntoReview: number;
  /** Matches whose posting failed before and was retried now, and how many went through. */
  retriedPostings: number;
  posted: number;
}

/** Unposted matches younger than this are left to the worker that is probably posting them right now. */
const RETRY_UNPOSTED_AFTER_MS = 60_000;
const RETRY_BATCH = 100;

/**
 * On `reconciliation.sweepIntervalMs`: sends stale unmatched items to review (each with a finance
 * alert) and retries postings that failed for good earlier (ERP or Clarity down for a while).
 */
@Injectable()
export class ReconciliationSweep implements OnApplicationShutdown {
  private readonly logger = new Logger(ReconciliationSweep.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepResult> | undefined;

  constructor(
    private readonly config: RuntimeConfig,
    private readonly service: ReconciliationService,
    private readonly posting: ReconciliationPosting,
    private readonly alerts: AlertService,
    private readonly dataSource: DataSource,
  ) {}

  /** Starts the schedule when reconciliation is enabled and the interval is not 0. */
  start(): void {
    const { enabled, sweepIntervalMs } = this.config.reconciliation;
    if (!enabled || sweepIntervalMs === 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) =>
        this.logger.error(`reconciliation sweep failed: ${String(error)}`),
      );
    }, sweepIntervalMs);
    this.timer.unref();
  }

  /**
   * Runs one sweep now; a sweep already under way is joined rather than run twice. The schedule
   * leaves postings younger than a minute to the worker; `retryRecent` (an operator's sweep) takes all.
   */
  sweep(options: { retryRecent?: boolean } = {}): Promise<SweepResult> {
    this.running ??= this.runOnce(options.retryRecent === true).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runOnce(retryRecent: boolean): Promise<SweepResult> {
    // The database's clock stamps review items: new ones are those created from now on.
    const [{ now }] = await this.dataSource.query<[{ now: Date }]>('SELECT now() AS now');
    const sweptIntoReview = await this.service.sweepUnmatched();
    if (sweptIntoReview > 0) {
      const open = await this.service.listReviewItems({ status: 'open' }, { limit: 1000 });
      for (const item of open.items.filter((candidate) => candidate.createdAt >= now)) {
        await this.alerts.raise(reviewItemAlert(item));
      }
    }
    const unposted = (await this.service.listUnpostedMatches(RETRY_BATCH)).filter(
      (match) => retryRecent || match.createdAt.getTime() <= Date.now() - RETRY_UNPOSTED_AFTER_MS,
    );
    let posted = 0;
    for (const match of unposted) if (await this.posting.postStored(match)) posted += 1;
    return { sweptIntoReview, retriedPostings: unposted.length, posted };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
