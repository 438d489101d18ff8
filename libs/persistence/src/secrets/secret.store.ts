import { type DataSource } from 'typeorm';
import { PersistenceInputError } from '../persistence.errors';
import { type SecretCipher } from './secret.cipher';
import { SecretCache } from './secret-cache';
import { SecretRepository, type SecretSummary } from './secret.repository';

const SECRET_NAME = /^[A-Za-z0-9_.:/-]{1,200}$/;
const DEFAULT_CACHE_TTL_MS = 5_000;

export interface SecretStoreOptions {
  /**
   * How long a decrypted value is reused before it is read again (default 5 000 ms; 0 turns the
   * cache off). Writes through this store take effect at once; other instances see a change
   * within this time.
   */
  cacheTtlMs?: number;
}

/**
 * Named secrets (connector credentials, webhook signing keys) encrypted at rest with the master key.
 * Decrypted values are kept briefly in memory: a webhook's signing key is needed on every delivery,
 * and a database read plus a decryption per request was a measurable share of ingress cost.
 */
export class SecretStore {
  private readonly repository: SecretRepository;
  private readonly cacheTtlMs: number;
  private readonly cache = new SecretCache();

  constructor(
    dataSource: DataSource,
    private readonly cipher: SecretCipher,
    options: SecretStoreOptions = {},
  ) {
    this.repository = new SecretRepository(dataSource);
    this.cacheTtlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    if (!Number.isFinite(this.cacheTtlMs) || this.cacheTtlMs < 0) {
      throw new PersistenceInputError(
        `secret store: cacheTtlMs must be >= 0, got ${this.cacheTtlMs}`,
      );
    }
  }

  /** Stores `value` under `name`, replacing any previous value; metadata is kept unless given. */
  async set(name: string, value: string, metadata?: Record<string, unknown>): Promise<void> {
    checkName(name);
    if (typeof value !== 'string')
      throw new PersistenceInputError(`secret "${name}": value must be a string`);
    this.cache.invalidate(name);
    try {
      await this.repository.upsert(name, this.cipher.seal(value, context(name)), metadata);
    } finally {
      // Also drops a read that raced with this write and would cache the old value.
      this.cache.invalidate(name);
    }
  }

  /** The decrypted value, or undefined if there is no such secret. */
  async get(name: string): Promise<string | undefined> {
    if (this.cacheTtlMs === 0) return this.read(name);
    const cached = this.cache.lookup(name, Date.now());
    if (cached !== undefined) return cached;
    return this.cache.load(name, Date.now() + this.cacheTtlMs, () => this.read(name));
  }

  /** Every secret's name, metadata, key id and timestamps, never its value. */
  async list(): Promise<SecretSummary[]> {
    return this.repository.listSummaries();
  }

  /** Deletes the secret; false if there was none. */
  async delete(name: string): Promise<boolean> {
    this.cache.invalidate(name);
    try {
      return await this.repository.delete(name);
    } finally {
      this.cache.invalidate(name);
    }
  }

  /** Re-seals every secret not yet under the active master key; returns how many it re-sealed. */
  async rotate(): Promise<number> {
    let resealed = 0;
    for (const row of await this.repository.listSealedWithOtherKey(this.cipher.activeKeyId)) {
      const next = this.cipher.seal(this.cipher.open(row, context(row.name)), context(row.name));
      // False when a concurrent set() replaced the row meanwhile: that write already used the active key.
      if (await this.repository.reseal(row.name, row, next)) resealed++;
    }
    return resealed;
  }

  private async read(name: string): Promise<string | undefined> {
    const row = await this.repository.get(name);
    return row === undefined ? undefined : this.cipher.open(row, context(name));
  }
}

function checkName(name: string): void {
  if (!SECRET_NAME.test(name)) {
    throw new PersistenceInputError(
      `secret name "${name}" is not allowed: use 1-200 letters, digits or _ . : / -`,
    );
  }
}

/** Binds each ciphertext to its secret's name. */
function context(name: string): string {
  return `secret:${name}`;
}
