import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows `limit` requests per client per window, then says how long to wait', () => {
    const limiter = new RateLimiter(2, 60_000);
    expect(limiter.take('key:a', 1_000)).toBe(0);
    expect(limiter.take('key:a', 2_000)).toBe(0);
    expect(limiter.take('key:a', 11_000)).toBe(50_000);
    expect(limiter.take('key:b', 11_000)).toBe(0);
    expect(limiter.take('key:a', 61_000)).toBe(0);
  });

  it('never limits when the limit is 0 (turned off)', () => {
    const limiter = new RateLimiter(0, 1_000);
    for (let i = 0; i < 100; i++) expect(limiter.take('ip:127.0.0.1', 5)).toBe(0);
  });
});
