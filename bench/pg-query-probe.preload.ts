/**
 * Diagnostic preload for the benchmarked runtime (SB_BENCH_PRELOAD=bench/pg-query-probe.preload.ts):
 * every 5 s prints the runtime's PostgreSQL statements by kind (their first words), how many ran
 * and how long each took at the client, from sending to the answer — to count queries per event
 * and to tell a slow statement from a slow round trip (docs/benchmarks.md, findings 15 and 18).
 */
import { Client } from 'pg';

interface StatementStats {
  count: number;
  ms: number;
  maxMs: number;
}

const statements = new Map<string, StatementStats>();

type Query = (...args: unknown[]) => unknown;
const prototype = Client.prototype as unknown as { query: Query };
const query = prototype.query;
prototype.query = function (this: Client, ...args: unknown[]): unknown {
  const config = args[0] as string | { text?: string } | undefined;
  const text = typeof config === 'string' ? config : config?.text;
  const result = query.apply(this, args);
  if (text !== undefined && result instanceof Promise) {
    const kind = text.replace(/\s+/g, ' ').trim().slice(0, 60);
    const started = performance.now();
    const stats = statements.get(kind) ?? { count: 0, ms: 0, maxMs: 0 };
    statements.set(kind, stats);
    result.then(
      () => {
        const ms = performance.now() - started;
        stats.count += 1;
        stats.ms += ms;
        stats.maxMs = Math.max(stats.maxMs, ms);
      },
      () => undefined,
    );
  }
  return result;
};

setInterval(() => {
  const busiest = [...statements]
    .filter(([, stats]) => stats.count > 0)
    .sort((a, b) => b[1].count - a[1].count)
    .slice(0, 6);
  for (const [kind, stats] of busiest) {
    process.stderr.write(
      `pg probe: ${stats.count}× avg ${(stats.ms / stats.count).toFixed(2)} ms, max ${stats.maxMs.toFixed(1)} ms: ${kind}\n`,
    );
  }
  statements.clear();
}, 5000).unref();
