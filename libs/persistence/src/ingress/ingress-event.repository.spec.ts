import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { IngressEventRepository } from './ingress-event.repository';

describe('IngressEventRepository', () => {
  let db: TestDatabase;
  let ingress: IngressEventRepository;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 10 });
    ingress = new IngressEventRepository(db.dataSource);
  });
  afterAll(() => db.drop());

  it('absorbs a repeated webhook delivery of the same event', async () => {
    expect(await ingress.accept('clarity', 'order.created', 'wh-1')).toBe('new');
    expect(await ingress.accept('clarity', 'order.created', 'wh-1')).toBe('duplicate');
  });

  it('tells events apart by connector and event type', async () => {
    expect(await ingress.accept('clarity', 'payment.captured', 'wh-1')).toBe('new');
    expect(await ingress.accept('payoneer', 'order.created', 'wh-1')).toBe('new');
  });

  it('lets only one of several simultaneous deliveries through', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ingress.accept('payoneer', 'payout.updated', 'n-9')),
    );
    expect(results.filter((r) => r === 'new')).toHaveLength(1);
  });

  it('forgets old deliveries when pruned', async () => {
    await ingress.accept('erp', 'je.posted', 'old');
    expect(await ingress.pruneReceivedBefore(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(
      1,
    );
    expect(await ingress.accept('erp', 'je.posted', 'old')).toBe('new');
  });
});
