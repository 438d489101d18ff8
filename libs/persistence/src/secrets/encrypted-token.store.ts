import { type DataSource } from 'typeorm';
import { PersistenceInputError, SecretDecryptionError } from '../persistence.errors';
import { OAuthTokenRepository } from './oauth-token.repository';
import { type SecretCipher } from './secret.cipher';

/** An access token as the connector SDK caches it (same shape as its `CachedToken`). */
export interface CachedOAuthToken {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  tokenType?: string;
  scope?: string;
}

/**
 * The connector SDK's `TokenStore`, backed by `oauth_tokens` and encrypted like secrets, so OAuth
 * tokens survive restarts and are shared by runtime instances without sitting in the clear.
 */
export class EncryptedTokenStore {
  private readonly repository: OAuthTokenRepository;

  constructor(
    dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {
    this.repository = new OAuthTokenRepository(dataSource);
  }

  /**
   * The cached token, or undefined. A token that cannot be opened (e.g. sealed with a retired
   * master key) is deleted and reported absent: unlike a secret, a token can always be fetched again.
   */
  async get(key: string): Promise<CachedOAuthToken | undefined> {
    const row = await this.repository.get(key);
    if (row === undefined) return undefined;
    let plaintext: string;
    try {
      plaintext = this.cipher.open(row, context(key));
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      await this.repository.delete(key);
      return undefined;
    }
    return JSON.parse(plaintext) as CachedOAuthToken;
  }

  /** Caches `token` under `key`, replacing any previous one. */
  async set(key: string, token: CachedOAuthToken): Promise<void> {
    if (typeof token.accessToken !== 'string' || token.accessToken === '') {
      throw new PersistenceInputError(
        `oauth token "${key}": accessToken must be a non-empty string`,
      );
    }
    if (!Number.isFinite(token.expiresAt)) {
      throw new PersistenceInputError(
        `oauth token "${key}": expiresAt must be epoch milliseconds, got ${token.expiresAt}`,
      );
    }
    const stored: CachedOAuthToken = {
      accessToken: token.accessToken,
      expiresAt: token.expiresAt,
      ...(token.tokenType === undefined ? {} : { tokenType: token.tokenType }),
      ...(token.scope === undefined ? {} : { scope: token.scope }),
    };
    await this.repository.upsert(
      key,
      this.cipher.seal(JSON.stringify(stored), context(key)),
      new Date(token.expiresAt),
    );
  }

  /** Forgets the token for `key` (e.g. after the remote rejected it). */
  async delete(key: string): Promise<boolean> {
    return this.repository.delete(key);
  }
}

function context(key: string): string {
  return `oauth-token:${key}`;
}
