import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { PersistenceInputError } from '../persistence.errors';
import { type ExecutionRecord } from './execution-record';
import { type ExecutionStatus } from './execution-status';
import { ExecutionRepository, SUCCEEDED_AMONG_SQL } from './execution.repository';

describe('ExecutionRepository', () => {
  let db: TestDatabase;
  let executions: ExecutionRepository;
  const t0 = Date.parse('2026-11-24T10:00:00.000Z');
  const seeded: ExecutionRecord[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    executions = new ExecutionRepository(db.dataSource);
    const statuses: ExecutionStatus[] = [
      'succeeded',
      'failed',
      'succeeded',
      'dead_lettered',
      'running',
    ];
    for (let i = 0; i < 30; i++) {
      seeded.push({
        id: randomUUID(),
        flowId: i % 3 === 0 ? 'payoneer-payout' : 'clarity-order-created',
        flowVersion: 1,
        eventId: `evt-${i}`,
        key: `SO-${i % 10}`,
        status: statuses[i % statuses.length]!,
        attempts: 1,
        // Pairs share a start time, so paging must break ties by id.
        startedAt: new Date(t0 + Math.floor(i / 2) * 1000),
      });
    }
    await executions.upsertMany(seeded);
  });
  afterAll(() => db.drop());

  it('gets one execution by id, and nothing for an unknown or malformed id', async () => {
    const first = seeded[0]!;
    expect(await executions.get(first.id)).toMatchObject({
      flowId: first.flowId,
      eventId: 'evt-0',
      trace: [],
    });
    expect(await executions.get(randomUUID())).toBeUndefined();
    expect(await executions.get('not-a-uuid')).toBeUndefined();
  });

  it('filters by flow, status, key and time, with the total across pages', async () => {
    const page = await executions.list({ flowId: 'payoneer-payout' }, { limit: 3 });
    expect(page.total).toBe(10);
    expect(page.items).toHaveLength(3);
    expect(page.items.every((e) => e.flowId === 'payoneer-payout')).toBe(true);

    expect((await executions.list({ status: 'failed' })).total).toBe(6);
    expect((await executions.list({ status: ['failed', 'running'] })).total).toBe(12);
    expect((await executions.list({ key: 'SO-3' })).items.map((e) => e.eventId).sort()).toEqual([
      'evt-13',
      'evt-23',
      'evt-3',
    ]);
    const window = await executions.list({ from: new Date(t0 + 2000), to: new Date(t0 + 4000) });
    expect(window.items.map((e) => e.eventId).sort()).toEqual(['evt-4', 'evt-5', 'evt-6', 'evt-7']);
    expect(
      (await executions.list({ flowId: 'payoneer-payout', status: 'failed', key: 'SO-6' })).total,
    ).toBe(1);
  });

  it('pages with a cursor newest first, through ties, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await executions.list({}, { limit: 7, cursor });
      expect(page.total).toBe(30);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    const startedAt = seeded.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    expect(seen.slice(0, 2).sort()).toEqual(
      startedAt
        .slice(0, 2)
        .map((e) => e.id)
        .sort(),
    );
  });

  it('pages with an offset too', async () => {
    const all = await executions.list({}, { limit: 30 });
    const third = await executions.list({}, { limit: 10, offset: 20 });
    expect(third.items.map((e) => e.id)).toEqual(all.items.slice(20).map((e) => e.id));
    expect(third.nextCursor).toBeNull();
  });

  it('tells whether a flow already succeeded for an event', async () => {
    expect(await executions.hasSucceeded('payoneer-payout', 'evt-0')).toBe(true);
    expect(await executions.hasSucceeded('payoneer-payout', 'evt-6')).toBe(false); // failed
    expect(await executions.hasSucceeded('clarity-order-created', 'evt-0')).toBe(false);
  });

  it('tells which of many events a flow already succeeded for, in one query', async () => {
    const ids = ['evt-0', 'evt-3', 'evt-6', 'evt-12', 'evt-2', 'evt-missing'];
    expect([...(await executions.succeededAmong('payoneer-payout', ids))].sort()).toEqual([
      'evt-0',
      'evt-12',
    ]);
    expect([...(await executions.succeededAmong('clarity-order-created', ids))]).toEqual(['evt-2']);
    expect((await executions.succeededAmong('payoneer-payout', [])).size).toBe(0);
  });

  it('names the bad part of a bad query', async () => {
    await expect(executions.list({ status: 'done' as ExecutionStatus })).rejects.toThrow(
      /status "done" is not one of running, succeeded/,
    );
    await expect(executions.list({}, { cursor: 'garbage' })).rejects.toThrow(PersistenceInputError);
    await expect(executions.list({}, { limit: 0 })).rejects.toThrow(
      /limit must be an integer from 1 to 1000, got 0/,
    );
    await expect(executions.list({}, { cursor: 'x', offset: 1 })).rejects.toThrow(
      /either cursor or offset/,
    );
  });

  describe('the guard lookup on a large table that was never analyzed', () => {
    let large: TestDatabase;

    beforeAll(async () => {
      large = await createTestDatabase();
      const repository = new ExecutionRepository(large.dataSource);
      const started = Date.parse('2026-11-25T03:00:00.000Z');
      const records: ExecutionRecord[] = Array.from({ length: 20_000 }, (_, i) => ({
        id: randomUUID(),
        flowId: 'clarity-order-created',
        flowVersion: 1,
        eventId: `evt-${i}`,
        key: `SO-${i}`,
        status: 'succeeded',
        attempts: 1,
        startedAt: new Date(started + i),
        finishedAt: new Date(started + i + 9),
        durationMs: 9,
        // A trace as the flow worker writes it: rows of realistic width (the planner's guess of the
        // row count of a table never analyzed comes from its pages).
        trace: ['trigger', 'transform', 'validate', 'deliver'].map((step) => ({
          step,
          status: 'succeeded',
          startedAt: new Date(started + i).toISOString(),
          durationMs: 2,
          output: { orderNumber: `SO-${i}`, total: { amount: '123.45', currency: 'EUR' } },
        })),
      }));
      await repository.upsertMany(records);
    });
    afterAll(() => large.drop());

    it('probes the index per event instead of reading every row of the flow', async () => {
      const [explained] = await large.dataSource.query<
        Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>
      >(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${SUCCEEDED_AMONG_SQL}`, [
        'clarity-order-created',
        ['evt-1', 'evt-5000', 'evt-19999', 'evt-missing'],
      ]);
      const plan = explained!['QUERY PLAN'][0]!;
      const executionScans = nodesOf(plan.Plan).filter(
        (node) => node['Relation Name'] === 'executions',
      );
      expect(executionScans.length).toBeGreaterThan(0);
      // Rows of executions the plan read and threw away: a handful at most, not the flow's 20,000.
      const discarded = executionScans.reduce(
        (sum, node) =>
          sum +
          (node['Rows Removed by Filter'] ?? 0) +
          (node['Rows Removed by Index Recheck'] ?? 0),
        0,
      );
      expect(discarded).toBeLessThan(10);
      expect(plan.Plan['Shared Hit Blocks'] + (plan.Plan['Shared Read Blocks'] ?? 0)).toBeLessThan(
        100,
      );
    });
  });
});

interface PlanNode {
  'Relation Name'?: string;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}
