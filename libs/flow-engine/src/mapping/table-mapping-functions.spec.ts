import { MappingFunctionError } from './mapping-errors';
import { FxRateTableError, TableMappingFunctions } from './table-mapping-functions';

describe('TableMappingFunctions', () => {
  const functions = new TableMappingFunctions({
    lookups: { 'payoneer-payee': { '1001': 'PAYEE-77' }, 'erp-account': { revenue: '4000' } },
    rates: [
      { from: 'EUR', to: 'USD', rate: '1.0832', validFrom: '2026-01-01', validTo: '2026-01-31' },
      { from: 'EUR', to: 'USD', rate: '1.1', validFrom: '2026-02-01' },
      { from: 'EUR', to: 'USD', rate: '1.2', validFrom: '2026-02-15', validTo: '2026-02-15' },
      { from: 'USD', to: 'JPY', rate: '150.25' },
      { from: 'GBP', to: 'EUR', rate: '0.1' },
    ],
  });

  describe('lookup', () => {
    it('finds an id in its namespace', async () => {
      await expect(functions.lookup('payoneer-payee', '1001')).resolves.toBe('PAYEE-77');
    });

    it('rejects a missing id naming the namespace and the id', async () => {
      await expect(functions.lookup('payoneer-payee', '1002')).rejects.toThrow(
        'no entry for id "1002" in id map "payoneer-payee"',
      );
      await expect(functions.lookup('payoneer-payee', 'toString')).rejects.toBeInstanceOf(
        MappingFunctionError,
      );
    });

    it('rejects an unknown namespace listing the known ones', async () => {
      await expect(functions.lookup('payoneer-payees', '1001')).rejects.toThrow(
        'no id map "payoneer-payees" (looking up id "1001"); known id maps: payoneer-payee, erp-account',
      );
    });
  });

  describe('fx', () => {
    it('multiplies in exact decimals, never binary floats', async () => {
      await expect(functions.fx('100.00', 'EUR', 'USD', '2026-01-10')).resolves.toBe('108.32');
      await expect(functions.fx('0.3', 'GBP', 'EUR', '2026-01-10')).resolves.toBe('0.03');
      await expect(functions.fx(0.1, 'GBP', 'EUR', '2026-01-10')).resolves.toBe('0.01');
      await expect(functions.fx('12345678901234567.89', 'USD', 'JPY', '2026-01-10')).resolves.toBe(
        '1854938254910493825.4725',
      );
    });

    it('uses the rate valid on the date, both bounds inclusive, the latest start winning an overlap', async () => {
      await expect(functions.fx('10', 'EUR', 'USD', '2026-01-31')).resolves.toBe('10.832');
      await expect(functions.fx('10', 'EUR', 'USD', '2026-02-01')).resolves.toBe('11');
      await expect(functions.fx('10', 'EUR', 'USD', '2026-02-15T23:59:00Z')).resolves.toBe('12');
      await expect(functions.fx('10', 'EUR', 'USD', '2026-02-16')).resolves.toBe('11');
    });

    it('rejects when no rate covers the pair on that date, naming both', async () => {
      await expect(functions.fx('10', 'EUR', 'USD', '2025-12-31')).rejects.toThrow(
        'no EUR→USD rate valid on 2025-12-31',
      );
      await expect(functions.fx('10', 'USD', 'EUR', '2026-01-10')).rejects.toThrow(
        'no USD→EUR rate valid on 2026-01-10',
      );
    });

    it('converts a currency to itself without a rate', async () => {
      await expect(functions.fx('42.50', 'EUR', 'EUR', '1999-01-01')).resolves.toBe('42.5');
    });

    it('without a date, uses the rate valid today', async () => {
      await expect(functions.fx('2', 'USD', 'JPY')).resolves.toBe('300.5');
    });

    it('rejects an amount or date it cannot read', async () => {
      await expect(functions.fx('1,5', 'EUR', 'USD', '2026-01-10')).rejects.toThrow(
        'amount "1,5" is not a decimal number',
      );
      await expect(functions.fx(Number.NaN, 'EUR', 'USD', '2026-01-10')).rejects.toThrow(
        'is not a decimal number',
      );
      await expect(functions.fx('1', 'EUR', 'USD', '10/01/2026')).rejects.toThrow(
        'date "10/01/2026" is not a date like 2026-01-31',
      );
    });
  });

  it('refuses a rate table row it could not use, naming the row and field', () => {
    const build = (rate: string, validFrom?: string) => () =>
      new TableMappingFunctions({
        rates: [
          { from: 'EUR', to: 'USD', rate: '1' },
          { from: 'EUR', to: 'USD', rate, validFrom },
        ],
      });
    expect(build('1.08.2')).toThrow('rates[1].rate: "1.08.2" is not a positive decimal string');
    expect(build('0')).toThrow(FxRateTableError);
    expect(build('1.1', '2026-1-1')).toThrow(
      'rates[1].validFrom: "2026-1-1" is not a date like 2026-01-31',
    );
    expect(
      () => new TableMappingFunctions({ rates: [{ from: 'eur', to: 'USD', rate: '1' }] }),
    ).toThrow('rates[0].from: "eur" is not a currency code');
    expect(
      () =>
        new TableMappingFunctions({
          rates: [
            { from: 'EUR', to: 'USD', rate: '1', validFrom: '2026-02-01', validTo: '2026-01-01' },
          ],
        }),
    ).toThrow('rates[0].validTo: 2026-01-01 is before validFrom 2026-02-01');
  });
});
