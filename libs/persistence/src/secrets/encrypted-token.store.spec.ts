import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { EncryptedTokenStore } from './encrypted-token.store';
import { SecretCipher } from './secret.cipher';

describe('EncryptedTokenStore', () => {
  let db: TestDatabase;
  const key = randomBytes(32).toString('base64');

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('keeps OAuth tokens across store instances, encrypted at rest', async () => {
    const token = {
      accessToken: 'eyJhbGciOi.token.body',
      expiresAt: Date.now() + 3_600_000,
      tokenType: 'Bearer',
      scope: 'payouts',
    };
    await new EncryptedTokenStore(db.dataSource, new SecretCipher(key)).set(
      'payoneer:client-1',
      token,
    );

    expect(
      await new EncryptedTokenStore(db.dataSource, new SecretCipher(key)).get('payoneer:client-1'),
    ).toEqual(token);
    const rows = await db.dataSource.query<Array<{ ciphertext: Buffer; expires_at: Date }>>(
      'SELECT * FROM oauth_tokens',
    );
    expect(rows[0]?.ciphertext.toString('utf8')).not.toContain('eyJhbGciOi');
    expect(rows[0]?.expires_at.getTime()).toBe(token.expiresAt);
  });

  it('replaces a refreshed token and forgets a deleted one', async () => {
    const store = new EncryptedTokenStore(db.dataSource, new SecretCipher(key));
    await store.set('erp', { accessToken: 'first', expiresAt: Date.now() + 1000 });
    await store.set('erp', { accessToken: 'second', expiresAt: Date.now() + 2000 });
    expect((await store.get('erp'))?.accessToken).toBe('second');
    expect(await store.delete('erp')).toBe(true);
    expect(await store.get('erp')).toBeUndefined();
  });

  it('treats a token it cannot open (retired master key) as absent, so a fresh one is fetched', async () => {
    await new EncryptedTokenStore(db.dataSource, new SecretCipher(key)).set('clarity', {
      accessToken: 'old',
      expiresAt: Date.now() + 1000,
    });
    const afterKeyChange = new EncryptedTokenStore(
      db.dataSource,
      new SecretCipher(randomBytes(32)),
    );
    expect(await afterKeyChange.get('clarity')).toBeUndefined();
    await afterKeyChange.set('clarity', { accessToken: 'new', expiresAt: Date.now() + 1000 });
    expect((await afterKeyChange.get('clarity'))?.accessToken).toBe('new');
  });

  it('refuses a token without an access token or expiry', async () => {
    const store = new EncryptedTokenStore(db.dataSource, new SecretCipher(key));
    await expect(store.set('x', { accessToken: '', expiresAt: 1 })).rejects.toThrow(
      /accessToken must be a non-empty string/,
    );
    await expect(store.set('x', { accessToken: 't', expiresAt: Number.NaN })).rejects.toThrow(
      /expiresAt must be epoch milliseconds/,
    );
  });
});
