import { readFileSync } from 'node:fs';

/** CPU and memory of a process over a measured window, read from /proc (Linux). */
export interface ProcessUsage {
  /** CPU time used during the window as a share of one core (100 = one core busy). */
  cpuPercent: number;
  /** Resident set size at the end of the window, MB. */
  rssMb: number;
  /** Highest RSS seen during the window, MB. */
  peakRssMb: number;
}

const CLOCK_TICKS_PER_SECOND = 100;
const PAGE_KB = 4;

/** Samples a process's CPU ticks and RSS every `intervalMs` between start() and stop(). */
export class ProcessSampler {
  private timer: NodeJS.Timeout | undefined;
  private startTicks = 0;
  private startedAt = 0;
  private peakRssKb = 0;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.startTicks = this.cpuTicks();
    this.startedAt = performance.now();
    this.peakRssKb = this.rssKb();
    this.timer = setInterval(() => {
      this.peakRssKb = Math.max(this.peakRssKb, this.rssKb());
    }, this.intervalMs);
  }

  stop(): ProcessUsage {
    clearInterval(this.timer);
    const elapsedS = (performance.now() - this.startedAt) / 1000;
    const cpuS = (this.cpuTicks() - this.startTicks) / CLOCK_TICKS_PER_SECOND;
    const rssKb = this.rssKb();
    this.peakRssKb = Math.max(this.peakRssKb, rssKb);
    return {
      cpuPercent: Math.round((cpuS / elapsedS) * 1000) / 10,
      rssMb: Math.round(rssKb / 1024),
      peakRssMb: Math.round(this.peakRssKb / 1024),
    };
  }

  private cpuTicks(): number {
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of stat.
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  }

  private rssKb(): number {
    const statm = readFileSync(`/proc/${this.pid}/statm`, 'utf8').split(' ');
    return Number(statm[1]) * PAGE_KB;
  }
}
