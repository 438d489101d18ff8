import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { FxRateRepository } from './fx-rate.repository';

describe('FxRateRepository', () => {
  let db: TestDatabase;
  let rates: FxRateRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    rates = new FxRateRepository(db.dataSource);
  });
  afterAll(() => db.drop());

  it('finds the rate valid on a day, the most recently started one winning overlaps', async () => {
    await rates.add({ fromCurrency: 'EUR', toCurrency: 'USD', rate: '1.08', validFrom: '2026-01-01' });
    await rates.add({
      fromCurrency: 'EUR',
      toCurrency: 'USD',
      rate: '1.0834',
      validFrom: '2026-06-01',
      validTo: '2026-06-30',
    });
    expect((await rates.findValid('EUR', 'USD', '2026-05-31'))?.rate).toBe('1.080000000000');
    expect(await rates.findValid('EUR', 'USD', '2026-06-30')).toMatchObject({
      rate: '1.083400000000',
      validFrom: '2026-06-01',
      validTo: '2026-06-30',
    });
    expect((await rates.findValid('EUR', 'USD', '2026-07-01'))?.rate).toBe('1.080000000000');
    expect(await rates.findValid('EUR', 'USD', '2025-12-31')).toBeUndefined();
    expect(await rates.findValid('USD', 'EUR', '2026-06-15')).toBeUndefined();
    expect(await rates.list()).toHaveLength(2);
  });

  it('rejects a rate that is not a positive decimal or has its dates backwards, naming each field', async () => {
    await expect(
      rates.add({ fromCurrency: 'eur', toCurrency: 'USD', rate: '0', validFrom: '2026-02-01', validTo: '2026-01-01' }),
    ).rejects.toThrow(
      'fx rate: fromCurrency "eur" is not a currency code like EUR; rate "0" is not a positive decimal string; validTo 2026-01-01 is before validFrom 2026-02-01',
    );
  });
});
