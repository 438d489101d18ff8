import { type ConnectorLogger, silentLogger } from '../observe/connector-logger';
import { type CachedToken, type TokenStore } from './token-store';

export interface TokenManagerOptions {
  /** Identifies the credential in the store, e.g. `oauth2:payoneer:<client id hash>`. */
  key: string;
  store: TokenStore;
  /** Asks the authorization server (or login endpoint) for a new token. */
  obtain: () => Promise<CachedToken>;
  /** A token this close to expiry is replaced before use. Default 60 s. */
  refreshBeforeExpiryMs?: number;
  now?: () => number;
  logger?: ConnectorLogger;
}

/**
 * The one place a connector instance's token lives. Concurrent callers share a single request
 * for a new token (single flight); a token is replaced shortly before it expires; a token the
 * remote rejected is replaced once, however many requests saw the rejection.
 */
export class TokenManager {
  private current: CachedToken | undefined;
  /** When `current` should be replaced: before its expiry, but never in its first half-life. */
  private refreshAt = 0;
  private inFlight: Promise<CachedToken> | undefined;
  private readonly refreshBeforeExpiryMs: number;
  private readonly now: () => number;
  private readonly logger: ConnectorLogger;

  constructor(private readonly options: TokenManagerOptions) {
    this.refreshBeforeExpiryMs = options.refreshBeforeExpiryMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

  /** A token fit for use now: the cached one, the stored one, or a newly obtained one. */
  async token(): Promise<CachedToken> {
    if (this.current !== undefined && this.now() < this.refreshAt) return this.current;
    return this.singleFlight(undefined);
  }

  /** Replaces a token the remote refused (401); callers that saw the same refusal share one renewal. */
  async renew(rejectedAccessToken: string): Promise<CachedToken> {
    if (
      this.current !== undefined &&
      this.current.accessToken !== rejectedAccessToken &&
      this.now() < this.refreshAt
    ) {
      return this.current;
    }
    const token = await this.singleFlight(rejectedAccessToken);
    // We may have joined a flight that started before the rejection and loaded the same token.
    return token.accessToken === rejectedAccessToken
      ? this.singleFlight(rejectedAccessToken)
      : token;
  }

  private singleFlight(rejectedAccessToken: string | undefined): Promise<CachedToken> {
    this.inFlight ??= this.load(rejectedAccessToken).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async load(rejectedAccessToken: string | undefined): Promise<CachedToken> {
    const stored = await this.readStore();
    if (
      stored !== undefined &&
      stored.accessToken !== rejectedAccessToken &&
      this.now() < stored.expiresAt - this.refreshBeforeExpiryMs
    ) {
      return this.adopt(stored, stored.expiresAt - this.refreshBeforeExpiryMs);
    }
    const obtainedAt = this.now();
    const token = await this.options.obtain();
    const lifetime = token.expiresAt - obtainedAt;
    // A token that lives shorter than twice the refresh margin would otherwise never count as fresh.
    const margin = Math.min(this.refreshBeforeExpiryMs, Math.max(0, lifetime / 2));
    try {
      await this.options.store.set(this.options.key, token);
    } catch (error) {
      this.logger.warn(
        { key: this.options.key, err: String(error) },
        'token store write failed; token kept in memory only',
      );
    }
    return this.adopt(token, token.expiresAt - margin);
  }

  private adopt(token: CachedToken, refreshAt: number): CachedToken {
    this.current = token;
    this.refreshAt = refreshAt;
    return token;
  }

  private async readStore(): Promise<CachedToken | undefined> {
    try {
      return await this.options.store.get(this.options.key);
    } catch (error) {
      this.logger.warn(
        { key: this.options.key, err: String(error) },
        'token store read failed; obtaining a new token',
      );
      return undefined;
    }
  }
}
