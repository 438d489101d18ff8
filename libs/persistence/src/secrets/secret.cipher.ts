import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { MasterKeyError, SecretDecryptionError } from '../persistence.errors';

/** A master key: 32 bytes as base64 or hex (or raw), and the id stored beside every value it seals. */
export interface MasterKey {
  id: string;
  key: string | Buffer;
}

/** What is stored for one encrypted value. */
export interface SealedValue {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
  keyId: string;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for values at rest. The first key seals; every key listed can open, so a master key
 * is rotated by putting the new one first and re-sealing. Each value is bound to a context string
 * (e.g. the secret's name) as associated data: a ciphertext copied to another row will not open.
 */
export class SecretCipher {
  private readonly keys = new Map<string, Buffer>();
  /** Id of the key new values are sealed with. */
  readonly activeKeyId: string;

  /** One key (its id derived from it), or several with ids, the first sealing. */
  constructor(keys: string | Buffer | readonly MasterKey[]) {
    const masterKeys =
      typeof keys === 'string' || Buffer.isBuffer(keys)
        ? [{ id: SecretCipher.keyIdOf(keys), key: keys }]
        : keys;
    const [active] = masterKeys;
    if (active === undefined)
      throw new MasterKeyError('secret cipher needs at least one master key');
    for (const { id, key } of masterKeys) {
      if (!/^[A-Za-z0-9._:-]{1,64}$/.test(id)) {
        throw new MasterKeyError(`master key id "${id}" must be 1-64 letters, digits, or . _ : -`);
      }
      if (this.keys.has(id)) throw new MasterKeyError(`master key id "${id}" is given twice`);
      this.keys.set(id, decodeMasterKey(key, `master key "${id}"`));
    }
    this.activeKeyId = active.id;
  }

  /** The derived id of a key: a short SHA-256 fingerprint that reveals nothing usable about the key. */
  static keyIdOf(key: string | Buffer): string {
    const bytes = decodeMasterKey(key, 'master key');
    return `k${createHash('sha256').update('switchboard-master-key-id').update(bytes).digest('hex').slice(0, 12)}`;
  }

  /** Encrypts `plaintext` under the active key with a fresh random IV, bound to `context`. */
  seal(plaintext: string, context: string): SealedValue {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(this.activeKeyId) as Buffer, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext, iv, authTag: cipher.getAuthTag(), keyId: this.activeKeyId };
  }

  /** Decrypts and authenticates a sealed value; throws SecretDecryptionError (naming `context`, never the value) otherwise. */
  open(sealed: SealedValue, context: string): string {
    const key = this.keys.get(sealed.keyId);
    if (key === undefined) {
      throw new SecretDecryptionError(
        `cannot decrypt ${context}: it was sealed with master key "${sealed.keyId}", which is not configured ` +
          `(configured: ${[...this.keys.keys()].join(', ')})`,
      );
    }
    if (sealed.iv.length !== IV_BYTES || sealed.authTag.length !== TAG_BYTES) {
      throw new SecretDecryptionError(
        `cannot decrypt ${context}: stored IV or auth tag has the wrong length`,
      );
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(sealed.authTag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch (error) {
      // node:crypto says only "unable to authenticate data"; ours says what that means. Neither carries bytes.
      throw new SecretDecryptionError(
        `cannot decrypt ${context} with master key "${sealed.keyId}": authentication failed ` +
          '(the key is wrong for this value, or the stored bytes were altered)',
        { cause: error },
      );
    }
  }

  /** True when the value was sealed with a key other than the active one and should be re-sealed. */
  needsReseal(sealed: Pick<SealedValue, 'keyId'>): boolean {
    return sealed.keyId !== this.activeKeyId;
  }
}

function decodeMasterKey(key: string | Buffer, what: string): Buffer {
  if (Buffer.isBuffer(key)) {
    if (key.length !== 32) throw new MasterKeyError(`${what} must be 32 bytes, got ${key.length}`);
    return key;
  }
  const text = key.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const bytes = Buffer.from(
      text,
      text.includes('-') || text.includes('_') ? 'base64url' : 'base64',
    );
    if (bytes.length === 32) return bytes;
    throw new MasterKeyError(
      `${what} must decode to 32 bytes (base64: 44 characters, hex: 64), but its ${text.length} characters decode to ${bytes.length} bytes`,
    );
  }
  throw new MasterKeyError(
    `${what} is neither base64 nor hex; give 32 random bytes, e.g. from \`openssl rand -base64 32\``,
  );
}
