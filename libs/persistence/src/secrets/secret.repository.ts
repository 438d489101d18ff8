import { type DataSource, type Repository } from 'typeorm';
import { runSql } from '../database/run-sql';
import { EncryptedSecret } from './encrypted-secret.entity';
import { type SealedValue } from './secret.cipher';

/** A secret without its value: what listings show. */
export type SecretSummary = Omit<EncryptedSecret, 'ciphertext' | 'iv' | 'authTag'>;

/** Raw encrypted rows of `secrets`; use SecretStore to read and write values. */
export class SecretRepository {
  private readonly secrets: Repository<EncryptedSecret>;

  constructor(private readonly dataSource: DataSource) {
    this.secrets = dataSource.getRepository(EncryptedSecret);
  }

  /** Inserts or replaces the sealed value; metadata is replaced only when given. */
  async upsert(
    name: string,
    sealed: SealedValue,
    metadata?: Record<string, unknown>,
  ): Promise<void> {
    await runSql(
      this.dataSource,
      `INSERT INTO secrets (name, ciphertext, iv, auth_tag, key_id, metadata) VALUES ($1, $2, $3, $4, $5, COALESCE($6::jsonb, '{}'::jsonb))
       ON CONFLICT (name) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv, auth_tag = EXCLUDED.auth_tag,
         key_id = EXCLUDED.key_id, metadata = COALESCE($6::jsonb, secrets.metadata), updated_at = now()`,
      [
        name,
        sealed.ciphertext,
        sealed.iv,
        sealed.authTag,
        sealed.keyId,
        metadata === undefined ? null : JSON.stringify(metadata),
      ],
    );
  }

  /** Replaces the sealed value under a new key, only if it is still the one that was read (no lost update). */
  async reseal(name: string, previous: SealedValue, next: SealedValue): Promise<boolean> {
    const { affected } = await runSql(
      this.dataSource,
      `UPDATE secrets SET ciphertext = $3, iv = $4, auth_tag = $5, key_id = $6, rotated_at = now()
        WHERE name = $1 AND iv = $2`,
      [name, previous.iv, next.ciphertext, next.iv, next.authTag, next.keyId],
    );
    return affected === 1;
  }

  /** The full encrypted row, or undefined. */
  async get(name: string): Promise<EncryptedSecret | undefined> {
    return (await this.secrets.findOneBy({ name })) ?? undefined;
  }

  /** All secrets without their encrypted columns, by name. */
  async listSummaries(): Promise<SecretSummary[]> {
    // Plain objects, not entities: an entity instance would still carry (empty) ciphertext fields.
    const { rows } = await runSql<SecretSummary>(
      this.dataSource,
      `SELECT name, key_id AS "keyId", metadata, created_at AS "createdAt", updated_at AS "updatedAt",
              rotated_at AS "rotatedAt"
         FROM secrets ORDER BY name`,
    );
    return rows;
  }

  /** Encrypted rows sealed with any key but `keyId`: the ones a rotation must re-seal. */
  async listSealedWithOtherKey(keyId: string): Promise<EncryptedSecret[]> {
    return this.secrets
      .createQueryBuilder('s')
      .where('s.keyId <> :keyId', { keyId })
      .orderBy('s.name', 'ASC')
      .getMany();
  }

  /** Deletes a secret; false if there was none. */
  async delete(name: string): Promise<boolean> {
    const { affected } = await runSql(this.dataSource, 'DELETE FROM secrets WHERE name = $1', [
      name,
    ]);
    return affected === 1;
  }
}
