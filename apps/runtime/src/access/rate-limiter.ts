/**
 * Fixed-window request counter per client. In-process (each runtime instance counts its own
 * requests), which is what a per-instance limit in front of one database needs.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request; returns 0 when allowed, else the milliseconds until the window resets. */
  take(client: string, now: number = Date.now()): number {
    if (this.limit === 0) return 0;
    let window = this.windows.get(client);
    if (window === undefined || now - window.startedAt >= this.windowMs) {
      if (this.windows.size > 10_000) this.evict(now);
      window = { startedAt: now, count: 0 };
      this.windows.set(client, window);
    }
    window.count += 1;
    return window.count > this.limit ? window.startedAt + this.windowMs - now : 0;
  }

  /** Drops expired windows so many one-off clients cannot grow the map without bound. */
  private evict(now: number): void {
    for (const [client, window] of this.windows) {
      if (now - window.startedAt >= this.windowMs) this.windows.delete(client);
    }
  }
}
