import { type DataSource } from 'typeorm';
import { PersistenceInputError } from '../persistence.errors';
import { type SecretCipher } from './secret.cipher';
import { SecretRepository, type SecretSummary } from './secret.repository';

const SECRET_NAME = /^[A-Za-z0-9_.:/-]{1,200}$/;

/** Named secrets (connector credentials, webhook signing keys) encrypted at rest with the master key. */
export class SecretStore {
  private readonly repository: SecretRepository;

  constructor(
    dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {
    this.repository = new SecretRepository(dataSource);
  }

  /** Stores `value` under `name`, replacing any previous value; metadata is kept unless given. */
  async set(name: string, value: string, metadata?: Record<string, unknown>): Promise<void> {
    checkName(name);
    if (typeof value !== 'string')
      throw new PersistenceInputError(`secret "${name}": value must be a string`);
    await this.repository.upsert(name, this.cipher.seal(value, context(name)), metadata);
  }

  /** The decrypted value, or undefined if there is no such secret. */
  async get(name: string): Promise<string | undefined> {
    const row = await this.repository.get(name);
    return row === undefined ? undefined : this.cipher.open(row, context(name));
  }

  /** Every secret's name, metadata, key id and timestamps, never its value. */
  async list(): Promise<SecretSummary[]> {
    return this.repository.listSummaries();
  }

  /** Deletes the secret; false if there was none. */
  async delete(name: string): Promise<boolean> {
    return this.repository.delete(name);
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
