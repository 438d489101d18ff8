export interface BackoffBounds {
  initialDelayMs: number;
  maxDelayMs: number;
}

/** The largest delay the given retry (1 = first retry) may wait: initial·2^(retry-1), capped. */
export function backoffCeiling(retry: number, bounds: BackoffBounds): number {
  return Math.min(bounds.maxDelayMs, bounds.initialDelayMs * 2 ** Math.max(0, retry - 1));
}

/**
 * Exponential backoff with full jitter (a uniform draw in [0, ceiling]), which spreads the
 * retries of many clients that failed together instead of having them retry in lockstep.
 */
export function fullJitterDelay(
  retry: number,
  bounds: BackoffBounds,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * (backoffCeiling(retry, bounds) + 1));
}
