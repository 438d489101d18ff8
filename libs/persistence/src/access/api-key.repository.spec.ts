import { createHash } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { PersistenceInputError } from '../persistence.errors';
import { ApiKeyRepository } from './api-key.repository';

const hash = (key: string): string => createHash('sha256').update(key).digest('hex');

describe('ApiKeyRepository', () => {
  let db: TestDatabase;
  let keys: ApiKeyRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    keys = new ApiKeyRepository(db.dataSource);
  });
  afterAll(() => db.drop());

  it('stores a key by hash, finds it by hash, lists it without the hash, and revokes it once', async () => {
    expect(await keys.any()).toBe(false);
    const stored = await keys.insert({ name: 'grafana', role: 'viewer', prefix: 'sb_abcdefgh', keyHash: hash('sb_abcdefgh-rest'), createdBy: 'system' });
    expect(await keys.any()).toBe(true);
    expect((await keys.findByHash(hash('sb_abcdefgh-rest')))?.id).toBe(stored.id);
    expect(await keys.findByHash(hash('sb_other'))).toBeUndefined();

    const page = await keys.list();
    expect(page.items).toEqual([expect.objectContaining({ id: stored.id, name: 'grafana', prefix: 'sb_abcdefgh' })]);
    expect(page.items[0]?.keyHash).toBeUndefined();

    await keys.touch(stored.id);
    expect((await keys.get(stored.id))?.lastUsedAt).toBeInstanceOf(Date);
    expect(await keys.revoke(stored.id)).toBe(true);
    expect(await keys.revoke(stored.id)).toBe(false);
    expect(await keys.revoke('not-a-uuid')).toBe(false);
    expect((await keys.findByHash(hash('sb_abcdefgh-rest')))?.revokedAt).toBeInstanceOf(Date);
    expect((await keys.list()).total).toBe(0);
    expect((await keys.list({ includeRevoked: true })).total).toBe(1);
  });

  it('refuses an unknown role or a value that is not a SHA-256 hash', async () => {
    await expect(keys.insert({ name: 'x', role: 'root' as 'admin', prefix: 'sb_x', keyHash: hash('k'), createdBy: 's' })).rejects.toThrow(PersistenceInputError);
    await expect(keys.insert({ name: 'x', role: 'admin', prefix: 'sb_x', keyHash: 'sb_plaintext', createdBy: 's' })).rejects.toThrow(/SHA-256/);
  });
});
