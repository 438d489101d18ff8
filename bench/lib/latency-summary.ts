/** Percentiles of a set of latencies in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Summarises latencies (ms); NaN entries (never measured) are left out. */
export function summarizeLatencies(samples: ArrayLike<number>): LatencySummary {
  const values = Float64Array.from(
    Array.prototype.filter.call(samples, (v: number) => !Number.isNaN(v)) as number[],
  ).sort();
  const at = (q: number): number =>
    values.length === 0
      ? NaN
      : round(values[Math.min(values.length - 1, Math.ceil(q * values.length) - 1)]!);
  return { count: values.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
