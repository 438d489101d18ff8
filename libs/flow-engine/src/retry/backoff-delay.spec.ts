import { backoffDelay } from './backoff-delay';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

/** mulberry32: a small seeded PRNG, so the distribution checks see the same samples every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const policy = (overrides: Partial<RetryPolicy>): RetryPolicy => ({
  ...DEFAULT_RETRY_POLICY,
  retryOn: [...DEFAULT_RETRY_POLICY.retryOn],
  ...overrides,
});

describe('backoffDelay', () => {
  it('doubles from initialMs on each attempt up to maxMs without jitter', () => {
    const exponential = policy({ jitter: 'none', initialMs: 200, maxMs: 60_000 });
    const delays = Array.from({ length: 12 }, (_unused, index) =>
      backoffDelay(exponential, index + 1),
    );
    expect(delays).toEqual([
      200, 400, 800, 1600, 3200, 6400, 12_800, 25_600, 51_200, 60_000, 60_000, 60_000,
    ]);
  });

  it('keeps a fixed backoff at initialMs, still capped by maxMs', () => {
    expect(
      [1, 2, 9].map((attempt) =>
        backoffDelay(policy({ backoff: 'fixed', jitter: 'none', initialMs: 750 }), attempt),
      ),
    ).toEqual([750, 750, 750]);
    expect(
      backoffDelay(policy({ backoff: 'fixed', jitter: 'none', initialMs: 750, maxMs: 500 }), 1),
    ).toBe(500);
  });

  it('stays capped for absurd attempt numbers, and at 0 when initialMs is 0', () => {
    expect(backoffDelay(policy({ jitter: 'none' }), 5000)).toBe(60_000);
    expect(backoffDelay(policy({ jitter: 'none', initialMs: 0 }), 5000)).toBe(0);
  });

  it('with full jitter, draws every attempt from [0, capped delay] in whole milliseconds', () => {
    const random = seededRandom(42);
    const jittered = policy({ jitter: 'full', initialMs: 200, maxMs: 60_000 });
    for (let attempt = 1; attempt <= 15; attempt += 1) {
      const cap = Math.min(200 * 2 ** (attempt - 1), 60_000);
      for (let sample = 0; sample < 200; sample += 1) {
        const delay = backoffDelay(jittered, attempt, random);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(cap);
      }
    }
    // The extremes of the random source map onto the bounds themselves.
    expect(backoffDelay(jittered, 3, () => 0)).toBe(0);
    expect(backoffDelay(jittered, 3, () => 0.999_999_999)).toBe(800);
  });

  it('spreads full jitter uniformly: mean near half the cap, every tenth of the range about equally often', () => {
    const random = seededRandom(20_260_101);
    const cap = 6400; // attempt 6 of the default policy
    const samples = Array.from({ length: 10_000 }, () =>
      backoffDelay(DEFAULT_RETRY_POLICY, 6, random),
    );
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThanOrEqual(cap);

    const mean = samples.reduce((sum, delay) => sum + delay, 0) / samples.length;
    expect(Math.abs(mean - cap / 2)).toBeLessThan(cap * 0.02);

    const buckets = new Array<number>(10).fill(0);
    for (const delay of samples) buckets[Math.min(9, Math.floor((delay / (cap + 1)) * 10))]! += 1;
    for (const count of buckets) expect(Math.abs(count - 1000)).toBeLessThan(120);
  });

  it('refuses an attempt number that is not a whole number from 1', () => {
    expect(() => backoffDelay(DEFAULT_RETRY_POLICY, 0)).toThrow(
      'attempt must be a whole number from 1, got 0',
    );
    expect(() => backoffDelay(DEFAULT_RETRY_POLICY, 1.5)).toThrow(RangeError);
  });
});
