import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { PersistenceInputError } from '../persistence.errors';
import { type FeeRecord, FeeRepository } from './fee.repository';

function fee(id: string, amount: string, currency: string, occurredAt: string): FeeRecord {
  return {
    source: 'payoneer',
    sourceId: `${id}:fee`,
    record: { type: 'payment', source: 'payoneer', sourceId: id },
    kind: 'processing',
    amount,
    currency,
    description: `fee on ${id}`,
    occurredAt: new Date(occurredAt),
  };
}

describe('FeeRepository', () => {
  let db: TestDatabase;
  let fees: FeeRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    fees = new FeeRepository(db.dataSource);
  });
  afterAll(() => db.drop());

  it('stores each fee once by its id, however often it is recorded', async () => {
    const first = [
      fee('TX-1', '2.68', 'USD', '2026-06-01T12:00:00Z'),
      fee('TX-2', '1.005', 'EUR', '2026-06-01T23:59:59Z'),
    ];
    expect(await fees.record(first)).toBe(2);
    expect(await fees.record([...first, fee('TX-3', '0.10', 'USD', '2026-06-02T00:00:00Z')])).toBe(
      1,
    );
    const page = await fees.list({}, { limit: 10, offset: 0 });
    expect(page.total).toBe(3);
    expect(page.items.map((item) => item.sourceId)).toEqual(['TX-3:fee', 'TX-2:fee', 'TX-1:fee']);
    expect(page.items[1]).toEqual(first[1]);
  });

  it('sums per UTC day and currency in decimals, never floats', async () => {
    await fees.record([fee('TX-4', '0.20', 'USD', '2026-06-02T10:00:00Z')]);
    expect(
      await fees.totalsByDay({
        from: new Date('2026-06-01T00:00:00Z'),
        to: new Date('2026-06-03T00:00:00Z'),
      }),
    ).toEqual([
      { day: '2026-06-01', currency: 'EUR', amount: '1.005', count: 1 },
      { day: '2026-06-01', currency: 'USD', amount: '2.68', count: 1 },
      { day: '2026-06-02', currency: 'USD', amount: '0.30', count: 2 },
    ]);
    expect(
      await fees.totalsByDay({ currency: 'EUR', from: new Date('2026-06-02T00:00:00Z') }),
    ).toEqual([]);
  });

  it('refuses a bad amount or currency, naming the fee, and stores nothing of that batch', async () => {
    const bad = [
      fee('TX-5', '1.00', 'USD', '2026-06-03T00:00:00Z'),
      fee('TX-6', '-1', 'usd', '2026-06-03T00:00:00Z'),
    ];
    await expect(fees.record(bad)).rejects.toThrow(
      new PersistenceInputError(
        'fees[1] (payoneer/TX-6:fee): amount "-1" is not a non-negative decimal with up to 4 places',
      ),
    );
    expect(
      (await fees.list({ from: new Date('2026-06-03T00:00:00Z') }, { limit: 10, offset: 0 })).total,
    ).toBe(0);
    await expect(fees.list({ currency: 'dollars' }, { limit: 10, offset: 0 })).rejects.toThrow(
      /currency "dollars"/,
    );
  });
});
