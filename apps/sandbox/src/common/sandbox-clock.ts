/** Options for the simulated time source. */
export interface SandboxClockOptions {
  /** Simulated time at start-up (ISO-8601); default: the real time. */
  start?: string | Date;
  /** When true, time moves only through `advance()` (tests); else it also follows real time. */
  frozen?: boolean;
  /** How often due transitions are processed in real time, in ms. */
  tickMs?: number;
}

type TickListener = () => void;

/**
 * Simulated time: real time plus an offset the control API can advance, so time-based
 * transitions (payout settlement, token expiry) can be driven without sleeping.
 */
export class SandboxClock {
  private readonly frozen: boolean;
  private readonly startedAtMs: number;
  private readonly realStartMs: number;
  private advancedMs = 0;
  private readonly listeners: TickListener[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SandboxClockOptions = {}) {
    this.frozen = options.frozen ?? false;
    this.realStartMs = Date.now();
    const start =
      options.start === undefined ? this.realStartMs : new Date(options.start).getTime();
    if (Number.isNaN(start))
      throw new Error(`clock.start is not a valid date: ${String(options.start)}`);
    this.startedAtMs = start;
  }

  /** Current simulated time in epoch ms. */
  nowMs(): number {
    const realElapsed = this.frozen ? 0 : Date.now() - this.realStartMs;
    return this.startedAtMs + realElapsed + this.advancedMs;
  }

  /** Current simulated time. */
  now(): Date {
    return new Date(this.nowMs());
  }

  /** Moves simulated time forward and processes whatever fell due. */
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0)
      throw new Error(`clock can only move forward; got ${ms} ms`);
    this.advancedMs += ms;
    this.tick();
    return this.now();
  }

  /** Registers work that runs on every tick (real-time interval and every advance). */
  onTick(listener: TickListener): void {
    this.listeners.push(listener);
  }

  /** Runs every tick listener now. */
  tick(): void {
    for (const listener of this.listeners) listener();
  }

  /** Starts the real-time ticker; idempotent. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 100);
    this.timer.unref();
  }

  /** Stops the real-time ticker. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
