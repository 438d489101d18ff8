import { type CachedToken, type TokenStore } from './token-store';

/** Tokens kept in this process only: lost on restart, not shared between instances. */
export class InMemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, CachedToken>();

  async get(key: string): Promise<CachedToken | undefined> {
    const token = this.tokens.get(key);
    return token === undefined ? undefined : { ...token };
  }

  async set(key: string, token: CachedToken): Promise<void> {
    this.tokens.set(key, { ...token });
  }
}
