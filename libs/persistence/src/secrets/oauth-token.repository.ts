import { type DataSource, type Repository } from 'typeorm';
import { runSql } from '../database/run-sql';
import { EncryptedOAuthToken } from './encrypted-oauth-token.entity';
import { type SealedValue } from './secret.cipher';

/** Raw encrypted rows of `oauth_tokens`; use EncryptedTokenStore to read and write tokens. */
export class OAuthTokenRepository {
  private readonly tokens: Repository<EncryptedOAuthToken>;

  constructor(private readonly dataSource: DataSource) {
    this.tokens = dataSource.getRepository(EncryptedOAuthToken);
  }

  /** Inserts or replaces the sealed token for `key`. */
  async upsert(key: string, sealed: SealedValue, expiresAt: Date): Promise<void> {
    await runSql(
      this.dataSource,
      `INSERT INTO oauth_tokens (key, ciphertext, iv, auth_tag, key_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv, auth_tag = EXCLUDED.auth_tag,
         key_id = EXCLUDED.key_id, expires_at = EXCLUDED.expires_at, updated_at = now()`,
      [key, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId, expiresAt],
    );
  }

  /** The encrypted row, or undefined. */
  async get(key: string): Promise<EncryptedOAuthToken | undefined> {
    return (await this.tokens.findOneBy({ key })) ?? undefined;
  }

  /** Deletes the token for `key`; false if there was none. */
  async delete(key: string): Promise<boolean> {
    const { affected } = await runSql(this.dataSource, 'DELETE FROM oauth_tokens WHERE key = $1', [
      key,
    ]);
    return affected === 1;
  }

  /** Deletes tokens that expired before `cutoff`; returns how many. */
  async deleteExpiredBefore(cutoff: Date): Promise<number> {
    const { affected } = await runSql(
      this.dataSource,
      'DELETE FROM oauth_tokens WHERE expires_at < $1',
      [cutoff],
    );
    return affected;
  }
}
