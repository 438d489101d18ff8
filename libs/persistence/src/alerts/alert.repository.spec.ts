import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { PersistenceInputError } from '../persistence.errors';
import { AlertRepository } from './alert.repository';

describe('AlertRepository', () => {
  let db: TestDatabase;
  let alerts: AlertRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    alerts = new AlertRepository(db.dataSource);
  });
  afterAll(() => db.drop());

  const dlq = (subject: string, message = 'dead-lettered') => ({ rule: 'dlq_growth', severity: 'critical' as const, subject, message });

  it('counts repeats of a rule + subject within the window into one alert, and keeps subjects apart', async () => {
    const first = await alerts.raise(dlq('flow-a', 'first'), 60_000);
    const again = await alerts.raise(dlq('flow-a', 'second'), 60_000);
    const other = await alerts.raise(dlq('flow-b'), 60_000);
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, alert: { id: first.alert.id, count: 2, message: 'second' } });
    expect(other.created).toBe(true);
    const concurrent = await Promise.all([1, 2, 3].map(() => alerts.raise(dlq('flow-c'), 60_000)));
    expect(concurrent.filter((raised) => raised.created)).toHaveLength(1);
    expect((await alerts.get(concurrent[0]!.alert.id))?.count).toBe(3);
  });

  it('opens a new alert after an acknowledgement or outside the window', async () => {
    const first = await alerts.raise(dlq('flow-d'), 60_000);
    expect(await alerts.acknowledge(first.alert.id, 'key:ops/sb_x')).toBe(true);
    expect(await alerts.acknowledge(first.alert.id, 'key:ops/sb_x')).toBe(false);
    const after = await alerts.raise(dlq('flow-d'), 60_000);
    expect(after.created).toBe(true);
    expect((await alerts.raise(dlq('flow-d'), 0)).created).toBe(true);

    const open = await alerts.list({ subject: 'flow-d', acknowledged: false });
    expect(open.total).toBe(2);
    const acked = await alerts.list({ subject: 'flow-d', acknowledged: true });
    expect(acked.items[0]).toMatchObject({ id: first.alert.id, acknowledgedBy: 'key:ops/sb_x' });
  });

  it('records webhook delivery and its failure', async () => {
    const { alert } = await alerts.raise(dlq('flow-e'), 60_000);
    await alerts.markDelivery(alert.id, 'webhook answered 500');
    expect(await alerts.get(alert.id)).toMatchObject({ deliveryError: 'webhook answered 500', deliveredAt: null });
    await alerts.markDelivery(alert.id, null);
    expect((await alerts.get(alert.id))?.deliveredAt).toBeInstanceOf(Date);
  });

  it('refuses an unknown severity, naming it', async () => {
    await expect(alerts.raise({ ...dlq('flow-f'), severity: 'doom' as 'critical' }, 1000)).rejects.toThrow(PersistenceInputError);
  });
});
