import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { SecretDecryptionError } from '../persistence.errors';
import { SecretCipher } from './secret.cipher';
import { SecretRepository } from './secret.repository';
import { SecretStore } from './secret.store';

describe('SecretStore', () => {
  let db: TestDatabase;
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(() => db.dataSource.query('TRUNCATE secrets'));

  it('stores values encrypted and gives them back', async () => {
    const store = new SecretStore(db.dataSource, new SecretCipher(oldKey));
    await store.set('payoneer.clientSecret', 'very-secret-value-123', { description: 'sandbox' });
    expect(await store.get('payoneer.clientSecret')).toBe('very-secret-value-123');
    expect(await store.get('missing')).toBeUndefined();

    const [row] =
      await db.dataSource.query<Array<Record<string, unknown>>>('SELECT * FROM secrets');
    expect(JSON.stringify(row)).not.toContain('very-secret-value-123');
    expect((row?.['ciphertext'] as Buffer).toString('utf8')).not.toContain('very-secret');
  });

  it('lists names, metadata and timestamps, never values or ciphertext', async () => {
    const store = new SecretStore(db.dataSource, new SecretCipher(oldKey));
    await store.set('erp.apiKey', 'erp-value-1', { description: 'ERP API key' });
    await store.set('clarity.webhookSecret', 'clarity-value-2');
    const listing = await store.list();
    expect(listing.map((s) => s.name)).toEqual(['clarity.webhookSecret', 'erp.apiKey']);
    expect(listing[1]).toMatchObject({ metadata: { description: 'ERP API key' } });
    expect(listing[1]?.createdAt).toBeInstanceOf(Date);
    for (const summary of listing) {
      expect(Object.keys(summary).sort()).toEqual([
        'createdAt',
        'keyId',
        'metadata',
        'name',
        'rotatedAt',
        'updatedAt',
      ]);
    }
    expect(JSON.stringify(listing)).not.toMatch(/erp-value-1|clarity-value-2/);
  });

  it('replaces a value, keeping metadata unless new metadata is given', async () => {
    const store = new SecretStore(db.dataSource, new SecretCipher(oldKey));
    await store.set('s', 'v1', { owner: 'finance' });
    await store.set('s', 'v2');
    expect(await store.get('s')).toBe('v2');
    expect((await store.list())[0]?.metadata).toEqual({ owner: 'finance' });
    await store.set('s', 'v3', { owner: 'ops' });
    expect((await store.list())[0]?.metadata).toEqual({ owner: 'ops' });
  });

  it('deletes a secret and says whether there was one', async () => {
    const store = new SecretStore(db.dataSource, new SecretCipher(oldKey));
    await store.set('gone', 'x');
    expect(await store.delete('gone')).toBe(true);
    expect(await store.delete('gone')).toBe(false);
    expect(await store.get('gone')).toBeUndefined();
  });

  it('rotates every secret to a new master key, after which the old key is no longer needed', async () => {
    const before = new SecretStore(db.dataSource, new SecretCipher([{ id: 'k1', key: oldKey }]));
    await before.set('a', 'value-a');
    await before.set('b', 'value-b');

    const during = new SecretStore(
      db.dataSource,
      new SecretCipher([
        { id: 'k2', key: newKey },
        { id: 'k1', key: oldKey },
      ]),
    );
    await during.set('c', 'value-c');
    expect(await during.rotate()).toBe(2);
    expect(await during.rotate()).toBe(0);

    const after = new SecretStore(db.dataSource, new SecretCipher([{ id: 'k2', key: newKey }]));
    expect([await after.get('a'), await after.get('b'), await after.get('c')]).toEqual([
      'value-a',
      'value-b',
      'value-c',
    ]);
    const listing = await after.list();
    expect(listing.map((s) => s.keyId)).toEqual(['k2', 'k2', 'k2']);
    expect(listing.find((s) => s.name === 'a')?.rotatedAt).toBeInstanceOf(Date);
  });

  it('refuses to read with the wrong master key, naming the secret but not its value', async () => {
    await new SecretStore(db.dataSource, new SecretCipher([{ id: 'k1', key: oldKey }])).set(
      'erp.apiKey',
      'top-secret',
    );
    const wrong = new SecretStore(db.dataSource, new SecretCipher([{ id: 'k1', key: newKey }]));
    await expect(wrong.get('erp.apiKey')).rejects.toThrow(SecretDecryptionError);
    await expect(wrong.get('erp.apiKey')).rejects.toThrow(/secret:erp\.apiKey/);
  });

  it('reuses a decrypted value briefly; writes through the store take effect at once', async () => {
    const cached = new SecretStore(db.dataSource, new SecretCipher(oldKey), {
      cacheTtlMs: 60_000,
    });
    const other = new SecretStore(db.dataSource, new SecretCipher(oldKey), { cacheTtlMs: 0 });
    await cached.set('shop.webhookSecret', 'v1');
    expect(await cached.get('shop.webhookSecret')).toBe('v1');
    // Another instance's write is seen only once the cached value expires.
    await other.set('shop.webhookSecret', 'v2');
    expect(await cached.get('shop.webhookSecret')).toBe('v1');
    expect(await other.get('shop.webhookSecret')).toBe('v2');
    // This instance's own writes and deletes are seen at once.
    await cached.set('shop.webhookSecret', 'v3');
    expect(await cached.get('shop.webhookSecret')).toBe('v3');
    await cached.delete('shop.webhookSecret');
    expect(await cached.get('shop.webhookSecret')).toBeUndefined();
    // A missing secret is not cached: a value set elsewhere shows up on the next read.
    await other.set('shop.webhookSecret', 'v4');
    expect(await cached.get('shop.webhookSecret')).toBe('v4');
  });

  it('reads a cached secret again after its time to live', async () => {
    const store = new SecretStore(db.dataSource, new SecretCipher(oldKey), { cacheTtlMs: 1 });
    const other = new SecretStore(db.dataSource, new SecretCipher(oldKey), { cacheTtlMs: 0 });
    await store.set('erp.apiKey', 'old');
    expect(await store.get('erp.apiKey')).toBe('old');
    await other.set('erp.apiKey', 'new');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.get('erp.apiKey')).toBe('new');
  });

  it('shares one database read among concurrent reads of a name', async () => {
    const store = new SecretStore(db.dataSource, new SecretCipher(oldKey));
    await store.set('clarity.apiKey', 'shared');
    const reads = jest.spyOn(SecretRepository.prototype, 'get');
    try {
      const values = await Promise.all(
        Array.from({ length: 5 }, () => store.get('clarity.apiKey')),
      );
      expect(values).toEqual(Array.from({ length: 5 }, () => 'shared'));
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });

  it('refuses a name it could not list or audit cleanly', async () => {
    const store = new SecretStore(db.dataSource, new SecretCipher(oldKey));
    await expect(store.set('has space', 'v')).rejects.toThrow(
      /secret name "has space" is not allowed/,
    );
    expect(await new SecretRepository(db.dataSource).listSummaries()).toEqual([]);
  });
});
