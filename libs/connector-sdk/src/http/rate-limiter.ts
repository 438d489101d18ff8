import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Token bucket shared by every request of one connector: `requestsPerSecond` on average, up to
 * `burst` at once. Callers are served in arrival order.
 */
export class RateLimiter {
  private tokens: number;
  private refilledAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly requestsPerSecond: number,
    private readonly burst: number = Math.max(1, Math.ceil(requestsPerSecond)),
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(requestsPerSecond > 0))
      throw new RangeError(`requestsPerSecond must be > 0, got ${requestsPerSecond}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be >= 1, got ${burst}`);
    this.tokens = burst;
    this.refilledAt = now();
  }

  /** Resolves when the caller may send one request; rejects if the signal aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.take(signal));
    // The next caller waits for this turn to finish, not to succeed: an aborted waiter's
    // rejection reaches that waiter through `turn` and must not block everyone behind it.
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async take(signal: AbortSignal | undefined): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      const waitMs = Math.ceil(((1 - this.tokens) / this.requestsPerSecond) * 1000);
      await sleep(waitMs, undefined, { signal });
      this.refill();
    }
    this.tokens = Math.max(0, this.tokens - 1);
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((now - this.refilledAt) / 1000) * this.requestsPerSecond,
    );
    this.refilledAt = now;
  }
}
