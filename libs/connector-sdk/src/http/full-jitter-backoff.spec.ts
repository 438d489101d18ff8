import { backoffCeiling, fullJitterDelay } from './full-jitter-backoff';
import { parseRetryAfter } from './retry-after';

describe('fullJitterDelay', () => {
  const bounds = { initialDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles the ceiling per retry up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffCeiling(retry, bounds))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('draws between zero and the ceiling, both included', () => {
    expect(fullJitterDelay(3, bounds, () => 0)).toBe(0);
    expect(fullJitterDelay(3, bounds, () => 0.999_999)).toBe(400);
    expect(fullJitterDelay(9, bounds, () => 0.999_999)).toBe(1_000);
    expect(fullJitterDelay(2, bounds, () => 0.5)).toBe(100);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(['0.5'], now)).toBe(500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
  });

  it('ignores an absent or unreadable header', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
