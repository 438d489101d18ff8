import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { AuditLogRepository } from './audit-log.repository';

describe('AuditLogRepository', () => {
  let db: TestDatabase;
  let audit: AuditLogRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    audit = new AuditLogRepository(db.dataSource);
  });
  afterAll(() => db.drop());

  it('appends entries and lists them newest first, filtered and paged', async () => {
    const first = await audit.append({
      actor: 'ops-key',
      action: 'dlq.replay',
      subjectType: 'dead_letter',
      subjectId: 'd1',
    });
    await audit.append({
      actor: 'ops-key',
      action: 'dlq.discard',
      subjectType: 'dead_letter',
      subjectId: 'd2',
      details: { reason: 'dup' },
    });
    const last = await audit.append({
      actor: 'admin-key',
      action: 'secret.set',
      subjectType: 'secret',
      subjectId: 'payoneer.clientSecret',
    });
    expect(first).toMatchObject({ actor: 'ops-key', details: {}, subjectId: 'd1' });
    expect(first.at).toBeInstanceOf(Date);

    const all = await audit.list();
    expect(all.total).toBe(3);
    expect(all.items[0]?.id).toBe(last.id);

    const byActor = await audit.list({ actor: 'ops-key' }, { limit: 1 });
    expect(byActor.total).toBe(2);
    const next = await audit.list({ actor: 'ops-key' }, { limit: 1, cursor: byActor.nextCursor! });
    expect([byActor.items[0]?.action, next.items[0]?.action].sort()).toEqual([
      'dlq.discard',
      'dlq.replay',
    ]);
    expect(next.nextCursor).toBeNull();

    const bySubject = await audit.list({ subjectType: 'dead_letter', subjectId: 'd2' });
    expect(bySubject.items).toEqual([
      expect.objectContaining({ action: 'dlq.discard', details: { reason: 'dup' } }),
    ]);
  });
});
