import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { PersistenceInputError } from '../persistence.errors';
import { IdMapConflictError } from './id-map-conflict.error';
import { IdMapRepository } from './id-map.repository';

describe('IdMapRepository', () => {
  let db: TestDatabase;
  let idMaps: IdMapRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    idMaps = new IdMapRepository(db.dataSource);
  });
  afterAll(() => db.drop());

  it('creates an entry on first sight once, and later sightings keep the first target', async () => {
    const first = await idMaps.insertIfAbsent('payoneer-payee', 'VEND-0001', 'VEND-0001');
    const again = await idMaps.insertIfAbsent('payoneer-payee', 'VEND-0001', 'other');
    expect(first).toMatchObject({ created: true, entry: { targetId: 'VEND-0001', origin: 'first_sight' } });
    expect(again).toMatchObject({ created: false, entry: { targetId: 'VEND-0001' } });
  });

  it('looks up both ways, lets an operator edit and delete, and lists per namespace', async () => {
    await idMaps.insertIfAbsent('payoneer-payee', 'AFF-0002', 'AFF-0002');
    const edited = await idMaps.put('payoneer-payee', 'AFF-0002', 'payee-2');
    expect(edited).toMatchObject({ created: false, entry: { targetId: 'payee-2', origin: 'api' } });
    expect((await idMaps.findByTarget('payoneer-payee', 'payee-2'))?.sourceId).toBe('AFF-0002');
    expect(await idMaps.findByTarget('payoneer-payee', 'AFF-0002')).toBeUndefined();
    expect((await idMaps.put('erp-customer', '42', 'CUST-42')).created).toBe(true);
    const page = await idMaps.list('payoneer-payee');
    expect(page.items.map((entry) => entry.sourceId).sort()).toEqual(['AFF-0002', 'VEND-0001']);
    expect(await idMaps.namespaces()).toEqual([
      { namespace: 'erp-customer', entries: 1 },
      { namespace: 'payoneer-payee', entries: 2 },
    ]);
    expect(await idMaps.delete('erp-customer', '42')).toBe(true);
    expect(await idMaps.delete('erp-customer', '42')).toBe(false);
    expect(await idMaps.findBySource('erp-customer', '42')).toBeUndefined();
  });

  it('refuses a target already mapped from another source, and bad names', async () => {
    await expect(idMaps.put('payoneer-payee', 'VEND-0009', 'VEND-0001')).rejects.toThrow(
      new IdMapConflictError('payoneer-payee', 'VEND-0001', 'VEND-0001'),
    );
    await expect(idMaps.put('Payees!', '1', '2')).rejects.toThrow(PersistenceInputError);
    await expect(idMaps.put('payoneer-payee', ' ', '2')).rejects.toThrow(/source id must be/);
  });
});
