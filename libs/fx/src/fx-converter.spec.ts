import { createTestDatabase, FxRateRepository, type TestDatabase } from '@switchboard/persistence';
import { FxConverter } from './fx-converter';
import { FxRateMissingError } from './fx-errors';

describe('FxConverter over the Postgres rate table', () => {
  let db: TestDatabase;
  let fx: FxConverter;

  beforeAll(async () => {
    db = await createTestDatabase();
    const rates = new FxRateRepository(db.dataSource);
    await rates.add({ fromCurrency: 'EUR', toCurrency: 'USD', rate: '1.0834', validFrom: '2026-06-01', validTo: '2026-06-30' });
    await rates.add({ fromCurrency: 'EUR', toCurrency: 'USD', rate: '1.1', validFrom: '2026-07-01' });
    fx = new FxConverter(rates, () => new Date('2026-07-15T09:00:00Z'));
  });
  afterAll(() => db.drop());

  it('uses the rate valid on the record date, exactly, with no float error', async () => {
    expect(await fx.convert({ amount: '123.45', from: 'EUR', to: 'USD', date: '2026-06-30T23:59:00Z' })).toEqual({
      amount: '133.74573',
      rate: '1.0834',
      rateSource: 'rate-table',
      day: '2026-06-30',
    });
    expect((await fx.convert({ amount: 0.1, from: 'EUR', to: 'USD' })).amount).toBe('0.11');
  });

  it("prefers the record's own (Payoneer) rate, and leaves same-currency amounts alone", async () => {
    expect(await fx.convert({ amount: '100', from: 'EUR', to: 'USD', date: '2020-01-01', providerRate: '1.2345' })).toMatchObject({
      amount: '123.45',
      rateSource: 'provider',
    });
    expect((await fx.convert({ amount: '7.50', from: 'USD', to: 'USD' })).amount).toBe('7.5');
  });

  it('rejects a missing rate instead of guessing, and names bad arguments', async () => {
    await expect(fx.convert({ amount: '1', from: 'EUR', to: 'USD', date: '2026-05-31' })).rejects.toThrow(
      new FxRateMissingError('EUR', 'USD', '2026-05-31'),
    );
    await expect(fx.convert({ amount: '1', from: 'GBP', to: 'USD', date: '2026-06-05' })).rejects.toThrow(
      '$fx: no GBP→USD rate valid on 2026-06-05',
    );
    await expect(fx.convert({ amount: '1e3', from: 'EUR', to: 'USD' })).rejects.toThrow('$fx: amount "1e3" is not a decimal number');
    await expect(fx.convert({ amount: '1', from: 'eur', to: 'USD' })).rejects.toThrow('$fx: from "eur" is not a currency code like EUR');
  });
});
