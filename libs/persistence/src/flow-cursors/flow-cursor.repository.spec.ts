import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { FlowCursorRepository } from './flow-cursor.repository';

describe('FlowCursorRepository', () => {
  let db: TestDatabase;
  let cursors: FlowCursorRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    cursors = new FlowCursorRepository(db.dataSource);
  });
  afterAll(() => db.drop());

  it('has no cursor before the first poll, then keeps the latest one per flow', async () => {
    expect(await cursors.get('clarity-orders-poll')).toBeUndefined();
    await cursors.set('clarity-orders-poll', { modifiedSince: '2026-11-24T10:00:00Z', page: 1 });
    await cursors.set('clarity-orders-poll', { modifiedSince: '2026-11-24T10:05:00Z', page: 2 });
    await cursors.set('erp-poll', '2026-11-24');
    expect(await cursors.get('clarity-orders-poll')).toEqual({
      modifiedSince: '2026-11-24T10:05:00Z',
      page: 2,
    });
    expect(await cursors.get('erp-poll')).toBe('2026-11-24');
  });
});
