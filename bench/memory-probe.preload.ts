/**
 * Diagnostic preload for the benchmarked runtime (SB_BENCH_PRELOAD=bench/memory-probe.preload.ts):
 * every 10 s prints where the resident memory is — V8 heap by space (used of committed), memory
 * outside the heap, file-backed pages (the node binary) — and the garbage collections since the
 * last line, to tell live data from collector headroom.
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

const INTERVAL_MS = 10_000;
const MB = 1024 * 1024;
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

const collections = new Map<string, { count: number; ms: number }>();
new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as Array<
    PerformanceEntry & { detail?: { kind?: number } }
  >) {
    const kind = GC_KINDS[entry.detail?.kind ?? -1] ?? 'other';
    const total = collections.get(kind) ?? { count: 0, ms: 0 };
    total.count += 1;
    total.ms += entry.duration;
    collections.set(kind, total);
  }
}).observe({ entryTypes: ['gc'] });

/** Resident kB of file-backed pages (shared libraries, the node binary) from /proc (Linux). */
function fileBackedMb(): number {
  const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
  const field = (name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
  return (field('Rss') - field('Anonymous')) / 1024;
}

const mb = (bytes: number): string => (bytes / MB).toFixed(0);
let lastCpu = process.cpuUsage();
setInterval(() => {
  const memory = process.memoryUsage();
  const spaces = getHeapSpaceStatistics()
    .filter((space) => space.space_size >= MB)
    .map(
      (space) =>
        `${space.space_name.replace(/_space$/, '')} ${mb(space.space_used_size)}/${mb(space.space_size)}`,
    )
    .join(', ');
  const gc = [...collections]
    .map(([kind, { count, ms }]) => `${kind} ${count} (${ms.toFixed(0)} ms)`)
    .join(', ');
  const cpu = process.cpuUsage(lastCpu);
  lastCpu = process.cpuUsage();
  process.stderr.write(
    `memory probe: RSS ${mb(memory.rss)} MB = heap ${mb(memory.heapTotal)} (used ${mb(memory.heapUsed)}; ${spaces}) ` +
      `+ file-backed ${fileBackedMb().toFixed(0)} + other ${mb(memory.rss - memory.heapTotal - fileBackedMb() * MB)} ` +
      `(external ${mb(memory.external)}, array buffers ${mb(memory.arrayBuffers)}); ` +
      `CPU ${((cpu.user + cpu.system) / 10 / INTERVAL_MS).toFixed(0)} %; GC ${gc || 'none'}\n`,
  );
  collections.clear();
}, INTERVAL_MS).unref();
