/**
 * Diagnostic preload for the benchmarked runtime (SB_BENCH_PRELOAD=bench/stall-probe.preload.ts):
 * prints every garbage collection pause of at least 4 ms and every event-loop stall of at least
 * 10 ms (a 5 ms timer that fired that much late), each with its wall-clock time, so a latency
 * tail can be laid beside the collector (finding 24 in docs/benchmarks.md).
 */
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';

const GC_REPORTED_FROM_MS = 4;
const TICK_MS = 5;
const STALL_REPORTED_FROM_MS = 10;
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as Array<
    PerformanceEntry & { detail?: { kind?: number } }
  >) {
    if (entry.duration < GC_REPORTED_FROM_MS) continue;
    const kind = GC_KINDS[entry.detail?.kind ?? -1] ?? 'other';
    process.stderr.write(`stall probe ${Date.now()}: gc ${kind} ${entry.duration.toFixed(1)} ms\n`);
  }
}).observe({ entryTypes: ['gc'] });

let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const late = now - last - TICK_MS;
  if (late >= STALL_REPORTED_FROM_MS)
    process.stderr.write(`stall probe ${Date.now()}: event loop ${late.toFixed(1)} ms late\n`);
  last = now;
}, TICK_MS).unref();
