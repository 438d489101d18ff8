import { type DeliveredMessage, MemoryEventBus } from '@switchboard/event-bus';
import {
  createTestDatabase,
  FlowCursorRepository,
  PayoutRepository,
  type TestDatabase,
} from '@switchboard/persistence';
import { SchemaRegistry } from '@switchboard/schema-registry';
import { PayoutStatusPublisher, STATUS_OUTBOX_CURSOR } from './payout-status.publisher';

const TOPIC = 'canonical.payout.v1';

const waitFor = async (check: () => Promise<boolean>): Promise<void> => {
  for (let tries = 0; tries < 200; tries++) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error('condition not met within 10 s');
};

/** The transition log as an outbox onto the canonical payout topic (real PostgreSQL, memory bus). */
describe('PayoutStatusPublisher', () => {
  let database: TestDatabase;
  let bus: MemoryEventBus;
  const seen: DeliveredMessage[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    bus = new MemoryEventBus();
    await bus.connect();
    await bus.ensureTopics([{ name: TOPIC, partitions: 1 }]);
    await bus.subscribe({
      groupId: 'observer',
      topics: [TOPIC],
      fromBeginning: true,
      handler: async (message) => void seen.push(message),
    });
  });
  afterAll(async () => {
    await bus.disconnect();
    await database.drop();
  });

  it('publishes each final status of a Clarity payable once, as a valid canonical payout, and resumes after its cursor', async () => {
    const repository = new PayoutRepository(database.dataSource);
    const cursors = new FlowCursorRepository(database.dataSource);
    const publisher = new PayoutStatusPublisher(
      repository,
      cursors,
      bus,
      SchemaRegistry.load(),
      TOPIC,
    );
    const item = (reference: string, amount: string) => ({
      businessReference: reference,
      attempt: 1,
      clientReferenceId: `${reference}-A1`,
      partyReference: 'AFF-0001',
      payeeId: 'AFF-0001',
      amount,
      currency: 'EUR',
      description: `Commission ${reference}`,
    });
    const { items } = await repository.createBatch(
      { reference: 'OUTBOX-1', source: 'api', account: '100000001', createdBy: 'test' },
      [
        item('clarity-commission-7', '0012.50'),
        item('clarity-commission-8', '3.00'),
        item('BONUS-1', '5.00'),
      ],
    );
    const ids = items.map((stored) => stored.id);
    for (const to of ['queued', 'submitted', 'pending'] as const)
      await repository.transition(ids, {
        from: ['draft', 'queued', 'submitted'],
        to,
        actor: 'test',
      });
    await repository.transition(ids, {
      from: ['pending'],
      to: 'paid',
      actor: 'payoneer:poll',
      payoneerStatus: 'Transferred',
      payoneerPayoutId: '1500000001',
    });

    // The two Clarity payables go out, the bonus does not (the Clarity flow could not mark it).
    await waitFor(async () => (await publisher.publishPending()) > 0);
    await waitFor(async () => seen.length >= 2);
    expect(seen.map((message) => message.key).sort()).toEqual([
      'clarity-commission-7',
      'clarity-commission-8',
    ]);
    const payout = seen.find((message) => message.key === 'clarity-commission-7');
    expect(payout?.value).toMatchObject({
      id: { source: 'payoneer', sourceId: '1500000001' },
      reference: 'clarity-commission-7',
      clientReferenceId: 'clarity-commission-7-A1',
      amount: { amount: '12.50', currency: 'EUR' },
      status: 'paid',
      sourceStatus: 'Transferred',
      payee: { id: { source: 'clarity', sourceId: 'AFF-0001' }, payeeId: 'AFF-0001' },
    });
    expect(SchemaRegistry.load().validator('canonical.payout@1')(payout?.value).valid).toBe(true);
    expect(payout?.headers['sb-event-id']).toMatch(new RegExp(`^payouts:${ids[0]}:\\d+$`));
    expect(await cursors.get(STATUS_OUTBOX_CURSOR)).toEqual({ afterId: expect.any(String) });

    // A second run (another instance, after a restart) publishes nothing already published.
    const again = new PayoutStatusPublisher(repository, cursors, bus, SchemaRegistry.load(), TOPIC);
    expect(await again.publishPending()).toBe(0);
    expect(seen).toHaveLength(2);
  });

  it('does not skip a transition whose transaction commits after a later one (ids are taken at insert)', async () => {
    const repository = new PayoutRepository(database.dataSource);
    const cursors = new FlowCursorRepository(database.dataSource);
    const publisher = new PayoutStatusPublisher(
      repository,
      cursors,
      bus,
      SchemaRegistry.load(),
      TOPIC,
    );
    const { items } = await repository.createBatch(
      { reference: 'OUTBOX-2', source: 'api', account: '100000001', createdBy: 'test' },
      ['clarity-commission-20', 'clarity-commission-21'].map((reference) => ({
        businessReference: reference,
        attempt: 1,
        clientReferenceId: `${reference}-A1`,
        partyReference: 'VEND-0001',
        payeeId: 'VEND-0001',
        amount: '9.99',
        currency: 'USD',
        description: `Vendor balance ${reference}`,
      })),
    );
    const [slow, fast] = items;
    if (slow === undefined || fast === undefined) throw new Error('batch without items');
    expect(await publisher.publishPending()).toBe(0);
    const before = seen.length;

    // The slow transaction takes the lower id and is still open when the fast one commits.
    const runner = database.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(
      `INSERT INTO payout_item_transitions (item_id, from_status, to_status, actor, details) VALUES ($1, 'draft', 'cancelled', 'test', '{}'::jsonb)`,
      [slow.id],
    );
    await repository.transition([fast.id], { from: ['draft'], to: 'cancelled', actor: 'test' });
    const running = publisher.publishPending();
    await new Promise((done) => setTimeout(done, 300));
    await runner.commitTransaction();
    await runner.release();
    expect(await running).toBe(2);
    await waitFor(async () => seen.length >= before + 2);
    expect(
      seen
        .slice(before)
        .map((message) => message.key)
        .sort(),
    ).toEqual(['clarity-commission-20', 'clarity-commission-21']);
  });
});
