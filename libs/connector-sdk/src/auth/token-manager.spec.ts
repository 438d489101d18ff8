import { type ConnectorLogger } from '../observe/connector-logger';
import { InMemoryTokenStore } from './in-memory-token-store';
import { TokenManager } from './token-manager';
import { type CachedToken, type TokenStore } from './token-store';

/** A token source with a hand-driven clock: each `obtain` issues `token-<n>`. */
function setUp(options: {
  lifetimeMs: number;
  refreshBeforeExpiryMs?: number;
  store?: TokenStore;
  logger?: ConnectorLogger;
}) {
  let now = 1_000_000;
  let issued = 0;
  const manager = new TokenManager({
    key: 'oauth2:test',
    store: options.store ?? new InMemoryTokenStore(),
    obtain: async (): Promise<CachedToken> => {
      issued += 1;
      return { accessToken: `token-${issued}`, expiresAt: now + options.lifetimeMs };
    },
    refreshBeforeExpiryMs: options.refreshBeforeExpiryMs,
    now: () => now,
    logger: options.logger,
  });
  return {
    manager,
    issued: () => issued,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('TokenManager', () => {
  it('keeps a token until the refresh margin before its expiry, then replaces it before use', async () => {
    const { manager, advance, issued } = setUp({
      lifetimeMs: 3_600_000,
      refreshBeforeExpiryMs: 60_000,
    });
    expect((await manager.token()).accessToken).toBe('token-1');
    advance(3_500_000); // 100 s before expiry: still outside the 60 s margin
    expect((await manager.token()).accessToken).toBe('token-1');
    advance(50_000); // 50 s before expiry: inside the margin
    expect((await manager.token()).accessToken).toBe('token-2');
    expect(issued()).toBe(2);
  });

  it('does not refresh a short-lived token on every use', async () => {
    const { manager, advance, issued } = setUp({
      lifetimeMs: 30_000,
      refreshBeforeExpiryMs: 60_000,
    });
    await manager.token();
    advance(10_000);
    await manager.token();
    expect(issued()).toBe(1);
    advance(6_000); // past half its life: renewed
    expect((await manager.token()).accessToken).toBe('token-2');
  });

  it('shares one request among concurrent callers and one renewal among callers of a rejected token', async () => {
    const { manager, issued } = setUp({ lifetimeMs: 3_600_000 });
    const first = await Promise.all(Array.from({ length: 20 }, () => manager.token()));
    expect(new Set(first.map((token) => token.accessToken))).toEqual(new Set(['token-1']));
    const renewed = await Promise.all(Array.from({ length: 20 }, () => manager.renew('token-1')));
    expect(new Set(renewed.map((token) => token.accessToken))).toEqual(new Set(['token-2']));
    expect(issued()).toBe(2);
    // A late caller still holding the old token gets the current one, not a third.
    expect((await manager.renew('token-1')).accessToken).toBe('token-2');
    expect(issued()).toBe(2);
  });

  it('does not adopt a stored token that was just rejected', async () => {
    const store = new InMemoryTokenStore();
    await store.set('oauth2:test', { accessToken: 'stale', expiresAt: 2_000_000_000_000 });
    const { manager, issued } = setUp({ lifetimeMs: 3_600_000, store });
    expect((await manager.token()).accessToken).toBe('stale');
    expect((await manager.renew('stale')).accessToken).toBe('token-1');
    expect(await store.get('oauth2:test')).toMatchObject({ accessToken: 'token-1' });
    expect(issued()).toBe(1);
  });

  it('still serves tokens when the store fails, and says so in the log', async () => {
    const warnings: string[] = [];
    const brokenStore: TokenStore = {
      get: () => Promise.reject(new Error('database is down')),
      set: () => Promise.reject(new Error('database is down')),
    };
    const logger: ConnectorLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (_fields, message) => warnings.push(message),
      error: () => undefined,
    };
    const { manager } = setUp({ lifetimeMs: 3_600_000, store: brokenStore, logger });
    expect((await manager.token()).accessToken).toBe('token-1');
    expect(warnings).toEqual([
      'token store read failed; obtaining a new token',
      'token store write failed; token kept in memory only',
    ]);
  });
});
