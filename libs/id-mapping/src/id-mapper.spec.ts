import { createTestDatabase, IdMapRepository, type TestDatabase } from '@switchboard/persistence';
import { PAYONEER_PAYEE_ID_MAP } from './id-map-namespace';
import { IdMapMissingError } from './id-map-missing.error';
import { IdMapper } from './id-mapper';

describe('IdMapper over the Postgres id maps', () => {
  let db: TestDatabase;
  let store: IdMapRepository;
  let mapper: IdMapper;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new IdMapRepository(db.dataSource);
    mapper = new IdMapper(store, [PAYONEER_PAYEE_ID_MAP]);
  });
  afterAll(() => db.drop());

  it('creates a Clarity account → Payoneer payee entry on first sight, and then answers both ways', async () => {
    expect(await mapper.lookup('payoneer-payee', 'VEND-0001')).toBe('VEND-0001');
    expect(await store.findBySource('payoneer-payee', 'VEND-0001')).toMatchObject({ origin: 'first_sight' });
    expect(await mapper.lookup('clarity-account', 'VEND-0001')).toBe('VEND-0001');
  });

  it('follows an operator edit in both directions', async () => {
    await store.put('payoneer-payee', 'AFF-0003', 'payee-aff-3');
    expect(await mapper.lookup('payoneer-payee', 'AFF-0003')).toBe('payee-aff-3');
    expect(await mapper.lookup('clarity-account', 'payee-aff-3')).toBe('AFF-0003');
  });

  it('never guesses a Clarity account for an unknown payee, nor an entry of an undeclared map', async () => {
    await expect(mapper.lookup('clarity-account', 'GHOST-1')).rejects.toThrow(
      new IdMapMissingError(
        'clarity-account',
        'GHOST-1',
        'no payoneer-payee entry has target "GHOST-1": map it with PUT /api/id-maps/payoneer-payee/<source id>',
      ),
    );
    await expect(mapper.lookup('erp-customer', '42')).rejects.toThrow(
      '$lookup: no entry for id "42" in id map "erp-customer"; map it with PUT /api/id-maps/erp-customer/42',
    );
    await store.put('erp-customer', '42', 'CUST-42');
    expect(await mapper.lookup('erp-customer', '42')).toBe('CUST-42');
  });

  it('refuses a name declared twice', () => {
    expect(() => new IdMapper(store, [PAYONEER_PAYEE_ID_MAP, PAYONEER_PAYEE_ID_MAP])).toThrow(
      'id map name "payoneer-payee" is declared twice',
    );
  });
});
