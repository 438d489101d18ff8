import { randomBytes } from 'node:crypto';
import { MasterKeyError, SecretDecryptionError } from '../persistence.errors';
import { SecretCipher } from './secret.cipher';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('hex');
const PLAINTEXT = 'payoneer-client-secret-9f8e7d';

function flipFirstBit(buffer: Buffer): Buffer {
  const copy = Buffer.from(buffer);
  copy[0] = copy[0]! ^ 1;
  return copy;
}

describe('SecretCipher', () => {
  it('round-trips a value, with a fresh IV every time', () => {
    const cipher = new SecretCipher(keyA);
    const one = cipher.seal(PLAINTEXT, 'secret:payoneer.clientSecret');
    const two = cipher.seal(PLAINTEXT, 'secret:payoneer.clientSecret');
    expect(one.iv).toHaveLength(12);
    expect(one.iv.equals(two.iv)).toBe(false);
    expect(one.ciphertext.equals(two.ciphertext)).toBe(false);
    expect(one.ciphertext.toString('utf8')).not.toContain('payoneer');
    expect(cipher.open(one, 'secret:payoneer.clientSecret')).toBe(PLAINTEXT);
    expect(cipher.open(two, 'secret:payoneer.clientSecret')).toBe(PLAINTEXT);
  });

  it('accepts the same key as base64, hex or bytes', () => {
    const bytes = randomBytes(32);
    const sealed = new SecretCipher(bytes).seal('v', 'c');
    expect(new SecretCipher(bytes.toString('base64')).open(sealed, 'c')).toBe('v');
    expect(new SecretCipher(bytes.toString('hex')).open(sealed, 'c')).toBe('v');
  });

  it('detects tampering with the ciphertext, IV or tag, and never echoes the value', () => {
    const cipher = new SecretCipher(keyA);
    const sealed = cipher.seal(PLAINTEXT, 'secret:s');
    for (const tampered of [
      { ...sealed, ciphertext: flipFirstBit(sealed.ciphertext) },
      { ...sealed, iv: flipFirstBit(sealed.iv) },
      { ...sealed, authTag: flipFirstBit(sealed.authTag) },
    ]) {
      let thrown: unknown;
      try {
        cipher.open(tampered, 'secret:s');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SecretDecryptionError);
      expect((thrown as Error).message).toMatch(/cannot decrypt secret:s .*authentication failed/);
      expect((thrown as Error).message).not.toContain(PLAINTEXT);
    }
  });

  it('refuses to open a value moved to another name', () => {
    const cipher = new SecretCipher(keyA);
    const sealed = cipher.seal(PLAINTEXT, 'secret:erp.apiKey');
    expect(() => cipher.open(sealed, 'secret:clarity.apiKey')).toThrow(SecretDecryptionError);
  });

  it('refuses a wrong key, whether its id differs or is forged to match', () => {
    const sealed = new SecretCipher(keyA).seal(PLAINTEXT, 'c');
    expect(() => new SecretCipher(keyB).open(sealed, 'c')).toThrow(
      /sealed with master key "k[0-9a-f]{12}", which is not configured/,
    );
    const impostor = new SecretCipher([{ id: sealed.keyId, key: keyB }]);
    expect(() => impostor.open(sealed, 'c')).toThrow(/authentication failed/);
  });

  it('rotates: a new key seals, the old one still opens older values until they are re-sealed', () => {
    const old = new SecretCipher([{ id: 'k1', key: keyA }]);
    const sealedBefore = old.seal(PLAINTEXT, 'c');
    const rotated = new SecretCipher([
      { id: 'k2', key: keyB },
      { id: 'k1', key: keyA },
    ]);
    expect(rotated.activeKeyId).toBe('k2');
    expect(rotated.needsReseal(sealedBefore)).toBe(true);
    expect(rotated.open(sealedBefore, 'c')).toBe(PLAINTEXT);
    const resealed = rotated.seal(rotated.open(sealedBefore, 'c'), 'c');
    expect(resealed.keyId).toBe('k2');
    expect(new SecretCipher([{ id: 'k2', key: keyB }]).open(resealed, 'c')).toBe(PLAINTEXT);
  });

  it('explains a malformed master key without repeating it', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => new SecretCipher(short)).toThrow(MasterKeyError);
    expect(() => new SecretCipher(short)).toThrow(/must decode to 32 bytes .* decode to 16 bytes/);
    try {
      new SecretCipher(short);
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
    expect(() => new SecretCipher('not a key!')).toThrow(/neither base64 nor hex/);
    expect(() => new SecretCipher([])).toThrow(/at least one master key/);
    expect(
      () =>
        new SecretCipher([
          { id: 'k1', key: keyA },
          { id: 'k1', key: keyB },
        ]),
    ).toThrow(/"k1" is given twice/);
  });
});
