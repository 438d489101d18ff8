import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { withAdvisoryLock } from '@switchboard/persistence';
import { DataSource } from 'typeorm';
import { PayoutsRuntime } from './payouts-runtime.service';

interface PayoutJob {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

/**
 * Runs the payout jobs on the intervals of `payouts.schedule`: send queued chunks, resume funded
 * queues, poll statuses without news, publish final statuses. Each run holds a Postgres advisory
 * lock named after the job and account, so with several runtime instances one runs it at a time
 * (the others skip that tick); the lock is a transaction's, so a killed instance releases it.
 */
@Injectable()
export class PayoutScheduler implements OnApplicationShutdown {
  private readonly logger = new Logger(PayoutScheduler.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly payouts: PayoutsRuntime,
    private readonly dataSource: DataSource,
  ) {}

  start(): void {
    if (!this.payouts.enabled) return;
    const wiring = this.payouts.require();
    const schedule = wiring.config.schedule;
    const jobs: PayoutJob[] = [
      {
        name: 'process-queues',
        everyMs: schedule.processQueuesMs,
        run: () => wiring.submission.processQueues(),
      },
      {
        name: 'poll-paused-queues',
        everyMs: schedule.pollPausedQueuesMs,
        run: () => wiring.submission.pollPausedQueues(),
      },
      {
        name: 'poll-statuses',
        everyMs: schedule.pollStatusesMs,
        run: () => wiring.tracker.pollAwaitingNews(),
      },
      {
        name: 'publish-statuses',
        everyMs: schedule.publishStatusesMs,
        run: () => wiring.publisher.publishPending(),
      },
    ];
    for (const job of jobs) {
      if (job.everyMs === 0) continue;
      const timer = setInterval(
        () => void this.runNow(job.name, job.run, wiring.config.account),
        job.everyMs,
      );
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** One locked run of a job, skipped while the previous one still runs here or elsewhere. */
  async runNow(name: string, run: () => Promise<unknown>, account: string): Promise<void> {
    if (this.stopped || this.running.has(name)) return;
    const done = withAdvisoryLock(this.dataSource, `payouts:${name}:${account}`, () => run())
      .then(
        () => undefined,
        (error: unknown) =>
          this.logger.error(
            `payouts ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
      )
      .finally(() => this.running.delete(name));
    this.running.set(name, done);
    await done;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([...this.running.values()]);
  }
}
