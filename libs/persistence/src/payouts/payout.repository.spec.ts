import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { PayoutConflictError } from './payout-conflict.error';
import { type NewPayoutItem, PayoutRepository } from './payout.repository';

const line = (businessReference: string, attempt = 1): NewPayoutItem => ({
  businessReference,
  attempt,
  clientReferenceId: `${businessReference}-A${attempt}`,
  partyReference: 'VEND-0001',
  payeeId: 'VEND-0001',
  amount: '120.50',
  currency: 'USD',
  description: 'March balance',
});

describe('PayoutRepository', () => {
  let database: TestDatabase;
  let repository: PayoutRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    repository = new PayoutRepository(database.dataSource);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('stores a batch with its items in order as drafts, each with its first transition', async () => {
    const { batch, items } = await repository.createBatch(
      { reference: 'B-ORDER', source: 'csv', account: '100', createdBy: 'ops' },
      [line('R-2'), line('R-1'), line('R-3')],
    );
    expect(items.map((item) => [item.businessReference, item.status, item.amount])).toEqual([
      ['R-2', 'draft', '120.50'],
      ['R-1', 'draft', '120.50'],
      ['R-3', 'draft', '120.50'],
    ]);
    expect(await repository.countByStatus(batch.id)).toEqual({ draft: 3 });
    const [transition] = await repository.listTransitions(items[0]!.id);
    expect(transition).toMatchObject({ fromStatus: null, toStatus: 'draft', actor: 'ops' });
  });

  it('moves only items still in an allowed status, and logs each move with its previous status', async () => {
    const { items } = await repository.createBatch(
      { reference: 'B-CAS', source: 'api', account: '100', createdBy: 'ops' },
      [line('CAS-1'), line('CAS-2')],
    );
    const ids = items.map((item) => item.id);
    expect(
      await repository.transition([ids[0]!], { from: ['draft'], to: 'queued', actor: 'ops' }),
    ).toEqual([ids[0]]);
    // The second caller lost the race for the first item: only the other one moves.
    const moved = await repository.transition(ids, {
      from: ['draft'],
      to: 'in_review',
      actor: 'system',
      reason: 'payee unknown',
    });
    expect(moved).toEqual([ids[1]]);
    const transitions = await repository.listTransitions(ids[1]!);
    expect(transitions.at(-1)).toMatchObject({
      fromStatus: 'draft',
      toStatus: 'in_review',
      reason: 'payee unknown',
    });
    expect((await repository.findItem(ids[1]!))?.statusReason).toBe('payee unknown');
  });

  it('refuses a second batch reference and a second live attempt at one business reference', async () => {
    await repository.createBatch(
      { reference: 'B-ONCE', source: 'api', account: '100', createdBy: 'ops' },
      [line('ONCE-1')],
    );
    await expect(
      repository.createBatch(
        { reference: 'B-ONCE', source: 'api', account: '100', createdBy: 'ops' },
        [line('ONCE-2')],
      ),
    ).rejects.toThrow(PayoutConflictError);
    await expect(
      repository.createBatch(
        { reference: 'B-AGAIN', source: 'api', account: '100', createdBy: 'ops' },
        [line('ONCE-1', 2)],
      ),
    ).rejects.toThrow(/already has a live payout/);
    // Nothing of the refused batches was stored.
    expect(await repository.listAttempts('ONCE-2')).toEqual([]);
  });

  it('replaces an attempt only while the previous one is in an allowed status, linking the two', async () => {
    const { items } = await repository.createBatch(
      { reference: 'B-RETRY', source: 'api', account: '100', createdBy: 'ops' },
      [line('RETRY-1')],
    );
    const first = items[0]!;
    expect(
      await repository.replaceAttempt(
        first,
        ['in_review'],
        line('RETRY-1', 2),
        'queued',
        'ops',
        'fixed',
      ),
    ).toBeNull();
    await repository.transition([first.id], { from: ['draft'], to: 'in_review', actor: 'system' });
    const second = await repository.replaceAttempt(
      first,
      ['in_review'],
      line('RETRY-1', 2),
      'queued',
      'ops',
      'fixed',
    );
    expect(second).toMatchObject({ attempt: 2, previousAttemptId: first.id, status: 'queued' });
    expect((await repository.listAttempts('RETRY-1')).map((item) => item.status)).toEqual([
      'cancelled',
      'queued',
    ]);
  });

  it('keeps one open pause per queue until it is resumed', async () => {
    const first = await repository.pauseQueue('100', 'EUR', 'insufficient_funds', {
      balance: '0.00',
    });
    const again = await repository.pauseQueue('100', 'EUR', 'insufficient_funds', {});
    expect([first.opened, again.opened]).toEqual([true, false]);
    expect(again.pause.id).toBe(first.pause.id);
    expect((await repository.listOpenPauses('100')).map((pause) => pause.currency)).toEqual([
      'EUR',
    ]);
    expect(await repository.resumeQueue('100', 'EUR', 'treasury')).toMatchObject({
      resumedBy: 'treasury',
    });
    expect(await repository.resumeQueue('100', 'EUR', 'treasury')).toBeNull();
    expect(await repository.openPause('100', 'EUR')).toBeNull();
  });

  it('lists batches newest first by account and source, pages items by status and currency, and sums per currency', async () => {
    const first = await repository.createBatch(
      { reference: 'B-LIST-1', source: 'api', account: 'LIST', createdBy: 'ops' },
      [
        line('L-1'),
        { ...line('L-2'), currency: 'EUR', amount: '10.25' },
        { ...line('L-3'), currency: 'EUR', amount: '0.75' },
      ],
    );
    await repository.createBatch(
      { reference: 'B-LIST-2', source: 'csv', account: 'LIST', createdBy: 'ops' },
      [line('L-4')],
    );
    const all = await repository.listBatches({ account: 'LIST' }, { limit: 10, offset: 0 });
    expect(all.total).toBe(2);
    expect(all.items.map((batch) => batch.reference)).toEqual(['B-LIST-2', 'B-LIST-1']);
    expect(
      (
        await repository.listBatches({ account: 'LIST', source: 'api' }, { limit: 10, offset: 0 })
      ).items.map((b) => b.reference),
    ).toEqual(['B-LIST-1']);

    const [, second] = first.items;
    await repository.transition([second!.id], { from: ['draft'], to: 'queued', actor: 'ops' });
    expect(await repository.totalsByCurrency(first.batch.id)).toEqual({
      EUR: '11.00',
      USD: '120.50',
    });
    expect(await repository.totalsByCurrency(first.batch.id, ['queued'])).toEqual({ EUR: '10.25' });
    const eurDrafts = await repository.pageItems(
      first.batch.id,
      { statuses: ['draft'], currency: 'EUR' },
      { limit: 10, offset: 0 },
    );
    expect(eurDrafts.items.map((item) => item.businessReference)).toEqual(['L-3']);
    const paged = await repository.pageItems(first.batch.id, {}, { limit: 2, offset: 1 });
    expect({ total: paged.total, refs: paged.items.map((item) => item.businessReference) }).toEqual(
      { total: 3, refs: ['L-2', 'L-3'] },
    );
  });
});
