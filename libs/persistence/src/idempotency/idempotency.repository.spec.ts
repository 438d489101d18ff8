import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { IdempotencyRepository } from './idempotency.repository';

describe('IdempotencyRepository', () => {
  let db: TestDatabase;
  let keys: IdempotencyRepository;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 10 });
    keys = new IdempotencyRepository(db.dataSource);
  });
  afterAll(() => db.drop());

  it('gives a key to exactly one of 50 concurrent claimers', async () => {
    const claims = await Promise.all(
      Array.from({ length: 50 }, () => keys.claim('flow:payout', 'PO-1')),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('scopes keys: the same key in another scope is a separate claim', async () => {
    expect(await keys.claim('flow:a', 'K')).toBe(true);
    expect(await keys.claim('flow:b', 'K')).toBe(true);
    expect(await keys.claim('flow:a', 'K')).toBe(false);
  });

  it('keeps the result of a completed effect for duplicates to answer with', async () => {
    expect(await keys.claim('erp:journal', 'SO-7')).toBe(true);
    expect(await keys.get('erp:journal', 'SO-7')).toMatchObject({
      result: null,
      completedAt: null,
    });
    await keys.complete('erp:journal', 'SO-7', { journalEntry: 'ACC-JV-2026-00042' });
    const stored = await keys.get('erp:journal', 'SO-7');
    expect(stored?.result).toEqual({ journalEntry: 'ACC-JV-2026-00042' });
    expect(stored?.completedAt).toBeInstanceOf(Date);
    expect(await keys.get('erp:journal', 'never')).toBeUndefined();
  });

  it('lets a failed effect release its claim for a retry, but never a completed one', async () => {
    expect(await keys.claim('s', 'failed-once')).toBe(true);
    expect(await keys.release('s', 'failed-once')).toBe(true);
    expect(await keys.claim('s', 'failed-once')).toBe(true);

    await keys.complete('s', 'done', 'ok');
    expect(await keys.release('s', 'done')).toBe(false);
    expect(await keys.claim('s', 'done')).toBe(false);
  });
});
