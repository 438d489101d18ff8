import { join, resolve } from 'node:path';
import { ConnectorError } from '@switchboard/connector-sdk';
import { MappingEngine, MappingEvaluationError } from '@switchboard/flow-engine';
import { createTestDatabase, FxRateRepository, IdMapRepository, type TestDatabase } from '@switchboard/persistence';
import { createMappingFunctions } from './create-mapping-functions';

const MAPPINGS = resolve(__dirname, '../../../../mappings');

describe('the runtime $lookup/$fx over Postgres and mappings/statuses.yaml', () => {
  let db: TestDatabase;
  let engine: MappingEngine;

  beforeAll(async () => {
    db = await createTestDatabase();
    await new FxRateRepository(db.dataSource).add({ fromCurrency: 'EUR', toCurrency: 'USD', rate: '1.0834', validFrom: '2026-06-01' });
    engine = new MappingEngine(createMappingFunctions(db.dataSource, MAPPINGS));
  });
  afterAll(() => db.drop());

  it('runs a shipped mapping end to end: a payout from an operator-mapped payee reaches its Clarity account', async () => {
    await new IdMapRepository(db.dataSource).put('payoneer-payee', 'AFF-0003', 'payee-aff-3');
    const mapping = engine.compileFile(join(MAPPINGS, 'payoneer-to-canonical/payout.jsonata'));
    const payout = await mapping.evaluate({
      client_reference_id: 'clarity-commission-4-A1',
      payout_date: '2026-06-30T08:01:12.000Z',
      amount: 12.5,
      currency: 'USD',
      status: 'Pending Payee',
      payee_id: 'payee-aff-3',
    });
    expect(payout).toMatchObject({ payee: { id: { source: 'clarity', sourceId: 'AFF-0003' } }, status: 'pending' });
  });

  it('creates the payee entry on first sight, and sends an unmapped payee to review (a function failure)', async () => {
    const forward = engine.compile('$lookup("payoneer-payee", key)', 'forward.jsonata');
    expect(await forward.evaluate({ key: 'VEND-0001' })).toBe('VEND-0001');
    expect((await new IdMapRepository(db.dataSource).findBySource('payoneer-payee', 'VEND-0001'))?.origin).toBe('first_sight');
    const reverse = engine.compile('$lookup("clarity-account", key)', 'reverse.jsonata');
    const failure = await reverse.evaluate({ key: 'GHOST-1' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MappingEvaluationError);
    expect(failure).toMatchObject({ reason: 'function', code: 'LOOKUP_MISSING' });
    expect((failure as Error).message).toContain('no entry for id "GHOST-1" in id map "clarity-account"');
  });

  it('converts with the rate table and refuses a day without a rate', async () => {
    const convert = engine.compile('$fx(amount, "EUR", "USD", day)', 'fx.jsonata');
    expect(await convert.evaluate({ amount: '98.00', day: '2026-06-15' })).toBe('106.1732');
    await expect(convert.evaluate({ amount: '1', day: '2026-05-31' })).rejects.toMatchObject({
      reason: 'function',
      code: 'FX_RATE_MISSING',
      message: expect.stringContaining('no EUR→USD rate valid on 2026-05-31'),
    });
  });

  it('makes a store outage transient (retried), not a review item', async () => {
    const other = await createTestDatabase();
    const outage = new MappingEngine(createMappingFunctions(other.dataSource, MAPPINGS));
    await other.drop();
    const failure = await outage
      .compile('$lookup("payoneer-payee", "VEND-0001")', 'outage.jsonata')
      .evaluate({})
      .catch((error: unknown) => error);
    expect((failure as { cause?: unknown }).cause).toBeInstanceOf(ConnectorError);
    expect((failure as { cause: ConnectorError }).cause.failureType).toBe('transient');
  });
});
