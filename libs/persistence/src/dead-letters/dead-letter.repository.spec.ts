import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { type DeadLetterRecord } from './dead-letter.entity';
import { type NewDeadLetter, DeadLetterRepository } from './dead-letter.repository';

function deadLetter(overrides: Partial<NewDeadLetter> = {}): NewDeadLetter {
  return {
    flowId: 'clarity-order-created',
    flowVersion: 3,
    eventId: randomUUID(),
    key: 'SO-10042',
    envelope: {
      id: 'evt',
      payload: { orderId: 'SO-10042', total: '12.50' },
      headers: { 'x-trace': '1' },
    },
    errorClass: 'ConnectorError',
    errorMessage: 'HTTP 503 from ERP',
    failureType: 'transient',
    attempts: 8,
    originalTopic: 'sb.flow.clarity-order-created',
    originalPartition: 2,
    originalOffset: '9007199254740993',
    ...overrides,
  };
}

/** Dead letters are stamped with the insert time in ms: step the clock so each gets its own. */
async function nextMillisecond(): Promise<void> {
  const now = Date.now();
  while (Date.now() === now) await new Promise((resolve) => setImmediate(resolve));
}

describe('DeadLetterRepository', () => {
  let db: TestDatabase;
  let deadLetters: DeadLetterRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    deadLetters = new DeadLetterRepository(db.dataSource);
  });
  afterAll(() => db.drop());
  beforeEach(() => db.dataSource.query('TRUNCATE dead_letters'));

  it('stores the envelope and error context exactly, offsets beyond 2^53 included', async () => {
    const input = deadLetter();
    const inserted = await deadLetters.insert(input);
    const stored = await deadLetters.get(inserted.id);
    expect(stored).toMatchObject({
      ...input,
      status: 'pending',
      replayedExecutionId: null,
      discardReason: null,
    });
    expect(stored?.createdAt.getTime()).toBe(inserted.createdAt.getTime());
    expect(await deadLetters.get('nope')).toBeUndefined();
  });

  it('filters and pages newest first', async () => {
    for (let i = 0; i < 12; i++) {
      await nextMillisecond();
      await deadLetters.insert(
        deadLetter({
          flowId: i % 2 === 0 ? 'flow-a' : 'flow-b',
          failureType: i % 3 === 0 ? 'business' : 'transient',
          key: `K-${i}`,
        }),
      );
    }
    const firstPage = await deadLetters.list({ flowId: 'flow-a' }, { limit: 4 });
    expect(firstPage.total).toBe(6);
    expect(firstPage.items.map((d) => d.key)).toEqual(['K-10', 'K-8', 'K-6', 'K-4']);
    const secondPage = await deadLetters.list(
      { flowId: 'flow-a' },
      { limit: 4, cursor: firstPage.nextCursor! },
    );
    expect(secondPage.items.map((d) => d.key)).toEqual(['K-2', 'K-0']);
    expect(secondPage.nextCursor).toBeNull();
    expect((await deadLetters.list({ failureType: 'business' })).total).toBe(4);
    expect((await deadLetters.list({ key: 'K-7', flowId: 'flow-b' })).total).toBe(1);
  });

  it('replays or discards an open dead letter once; a second operator loses', async () => {
    const replayed = await deadLetters.insert(deadLetter());
    const executionId = randomUUID();
    const attempts = await Promise.all([
      deadLetters.markReplayed(replayed.id, executionId),
      deadLetters.markReplayed(replayed.id, executionId),
    ]);
    expect(attempts.sort()).toEqual([false, true]);
    expect(await deadLetters.get(replayed.id)).toMatchObject({
      status: 'replayed',
      replayedExecutionId: executionId,
    });
    expect(await deadLetters.markDiscarded(replayed.id, 'too late')).toBe(false);

    const inReview = await deadLetters.insert(
      deadLetter({ status: 'review', failureType: 'business' }),
    );
    expect(await deadLetters.markDiscarded(inReview.id, 'fixed by hand in Clarity')).toBe(true);
    expect(await deadLetters.get(inReview.id)).toMatchObject({
      status: 'discarded',
      discardReason: 'fixed by hand in Clarity',
    });
    expect(await deadLetters.markReplayed(randomUUID())).toBe(false);
  });

  it('finds what a bulk replay should take, oldest first, open ones only', async () => {
    const inserted = [];
    for (const status of ['pending', 'pending', 'review', 'pending'] as const) {
      await nextMillisecond();
      inserted.push(await deadLetters.insert(deadLetter({ flowId: 'flow-r', status })));
    }
    const [first, done, review, last] = inserted as [
      DeadLetterRecord,
      DeadLetterRecord,
      DeadLetterRecord,
      DeadLetterRecord,
    ];
    await deadLetters.insert(deadLetter({ flowId: 'other' }));
    await deadLetters.markDiscarded(done.id);

    expect((await deadLetters.findForReplay({ flowId: 'flow-r' })).map((d) => d.id)).toEqual([
      first.id,
      last.id,
    ]);
    expect(
      (await deadLetters.findForReplay({ flowId: 'flow-r', status: ['pending', 'review'] })).map(
        (d) => d.id,
      ),
    ).toEqual([first.id, review.id, last.id]);
    expect((await deadLetters.findForReplay({ flowId: 'flow-r' }, 1)).map((d) => d.id)).toEqual([
      first.id,
    ]);
    await expect(deadLetters.findForReplay({ status: 'discarded' })).rejects.toThrow(
      /"discarded" cannot be replayed/,
    );
  });

  it('refuses an unknown failure type, naming it', async () => {
    await expect(
      deadLetters.insert(deadLetter({ failureType: 'oops' as 'config' })),
    ).rejects.toThrow(/failureType "oops" is not one of config, transient, rate_limited, business/);
  });
});
