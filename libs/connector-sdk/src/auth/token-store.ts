/** An access credential and when it stops working. */
export interface CachedToken {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  tokenType?: string;
  scope?: string;
}

/**
 * Where obtained tokens are cached so that restarts and other runtime instances reuse them
 * instead of asking the authorization server again. The runtime provides an encrypted
 * Postgres-backed one; `InMemoryTokenStore` serves tests and the memory-only demo.
 */
export interface TokenStore {
  get(key: string): Promise<CachedToken | undefined>;
  set(key: string, token: CachedToken): Promise<void>;
}
