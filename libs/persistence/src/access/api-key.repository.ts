import { randomUUID } from 'node:crypto';
import { type DataSource, type Repository } from 'typeorm';
import { runSql } from '../database/run-sql';
import { isUuid } from '../database/is-uuid';
import { fetchPage, type Page, type PageRequest } from '../pagination';
import { PersistenceInputError } from '../persistence.errors';
import { API_KEY_ROLES, type ApiKeyRole } from './api-key-role';
import { ApiKeyRecord } from './api-key.entity';

export interface NewApiKey {
  name: string;
  role: ApiKeyRole;
  prefix: string;
  /** SHA-256 of the key, hex. */
  keyHash: string;
  createdBy: string;
}

export interface ApiKeyFilter {
  role?: ApiKeyRole;
  /** Include revoked keys (default false). */
  includeRevoked?: boolean;
}

/** API keys at rest: hashes and metadata; lookups by hash for authentication. */
export class ApiKeyRepository {
  private readonly keys: Repository<ApiKeyRecord>;

  constructor(private readonly dataSource: DataSource) {
    this.keys = dataSource.getRepository(ApiKeyRecord);
  }

  /** Stores a new key; returns it without the hash. */
  async insert(input: NewApiKey): Promise<ApiKeyRecord> {
    if (!(API_KEY_ROLES as readonly string[]).includes(input.role)) {
      throw new PersistenceInputError(`api key: role "${input.role}" is not one of ${API_KEY_ROLES.join(', ')}`);
    }
    if (!/^[0-9a-f]{64}$/.test(input.keyHash)) throw new PersistenceInputError('api key: keyHash must be a hex SHA-256');
    const id = randomUUID();
    const { rows } = await runSql<{ created_at: Date }>(
      this.dataSource,
      `INSERT INTO api_keys (id, name, role, prefix, key_hash, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING created_at`,
      [id, input.name, input.role, input.prefix, input.keyHash, input.createdBy],
    );
    return this.keys.create({
      id,
      name: input.name,
      role: input.role,
      prefix: input.prefix,
      createdAt: rows[0]?.created_at ?? new Date(),
      createdBy: input.createdBy,
      lastUsedAt: null,
      revokedAt: null,
    });
  }

  /** The key with this hash, revoked or not (callers check `revokedAt`). */
  async findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    return (await this.keys.findOne({ where: { keyHash } })) ?? undefined;
  }

  /** True when any key was ever stored (revoked ones count: a demo never re-bootstraps after a revoke). */
  async any(): Promise<boolean> {
    return (await this.keys.count({ take: 1 })) > 0;
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.keys.findOne({ where: { id } })) ?? undefined;
  }

  /** Keys newest first, without hashes. */
  async list(filter: ApiKeyFilter = {}, page: PageRequest = {}): Promise<Page<ApiKeyRecord>> {
    const query = this.keys.createQueryBuilder('k');
    if (filter.role !== undefined) query.andWhere('k.role = :role', { role: filter.role });
    if (filter.includeRevoked !== true) query.andWhere('k.revokedAt IS NULL');
    return fetchPage(query, { alias: 'k', at: 'createdAt', id: 'id' }, page, 'api keys');
  }

  /** Revokes a key; false when it does not exist or was already revoked. */
  async revoke(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { affected } = await runSql(this.dataSource, `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id]);
    return affected > 0;
  }

  /** Records use, at most once a minute per key so reads do not turn into writes. */
  async touch(id: string): Promise<void> {
    await runSql(
      this.dataSource,
      `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
