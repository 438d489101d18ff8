import { MANUAL_PAUSE } from './payout-submission.service';
import { PayoutInputError, PayoutStateError } from './payout.errors';
import { type PayoutLine } from './payout-line';
import { startPayoutTestBed, type PayoutTestBed } from './testing/payout-test-bed';

jest.setTimeout(30_000);

const line = (
  businessReference: string,
  partyReference: string,
  amount = '50.00',
  currency = 'USD',
): PayoutLine => ({
  businessReference,
  partyReference,
  amount,
  currency,
  description: `Payout ${businessReference}`,
});

/** Operator tools of the runtime's API: dry run, cancelling what was not sent, a manual pause. */
describe('payout dry run, cancel-unsent and manual pause against the sandbox', () => {
  let bed: PayoutTestBed;

  beforeAll(async () => {
    bed = await startPayoutTestBed({
      chunkSize: 5,
      initialBalances: { USD: '1000.00', EUR: '1000.00' },
    });
    await bed.control('/payoneer/payees', { payeeId: 'VEND-0101' });
    await bed.control('/payoneer/payees', { payeeId: 'VEND-0102', status: 'INACTIVE' });
    bed.payees.set('VEND-0101', 'VEND-0101');
    bed.payees.set('VEND-0102', 'VEND-0102');
  });
  afterAll(async () => {
    await bed.close();
  });

  it('previews a batch: valid lines with totals per currency, invalid ones with why; stores and sends nothing', async () => {
    const preview = await bed.instance.batches.previewBatch([
      line('DRY-1', 'VEND-0101', '10.50'),
      line('DRY-2', 'VEND-0101', '4.50'),
      line('DRY-3', 'VEND-0101', '7.00', 'EUR'),
      line('DRY-4', 'VEND-0102'),
      line('DRY-5', 'NOBODY'),
      line('DRY-6', 'VEND-0101', '0.00'),
    ]);
    expect(preview.valid.map((valid) => valid.businessReference)).toEqual([
      'DRY-1',
      'DRY-2',
      'DRY-3',
    ]);
    expect(preview.totals).toEqual({ USD: '15.00', EUR: '7.00' });
    expect(
      preview.invalid.map(({ businessReference, problem }) => [businessReference, problem]),
    ).toEqual([
      ['DRY-4', 'payee VEND-0102 is inactive at Payoneer'],
      ['DRY-5', 'no Payoneer payee is mapped to NOBODY'],
      ['DRY-6', 'amount must be greater than 0, got 0.00'],
    ]);
    await expect(
      bed.instance.batches.previewBatch([line('BAD', 'VEND-0101', '1,5')]),
    ).rejects.toThrow(PayoutInputError);
    expect(await bed.instance.dataSource.query(`SELECT * FROM payout_items`)).toEqual([]);
    const ledger = (await bed.control('/payouts', undefined, 'GET')) as { payouts: unknown[] };
    expect(ledger.payouts).toEqual([]);
  });

  it('cancels only the items of a batch that were never sent', async () => {
    const { batches, submission } = bed.instance;
    const { batch } = await batches.createBatch({
      reference: 'CANCEL-UNSENT',
      source: 'api',
      createdBy: 'ops',
      lines: [
        line('CU-1', 'VEND-0101', '1.00'),
        line('CU-2', 'VEND-0101', '2.00'),
        line('CU-3', 'VEND-0101', '3.00', 'EUR'),
      ],
    });
    await batches.queueBatch(batch.id, 'ops');
    await submission.pauseQueue('EUR', 'ops');
    await submission.processQueues();
    expect(await batches.cancelUnsent(batch.id, { actor: 'ops', reason: 'wrong period' })).toBe(1);
    const statuses = (await batches.listItems(batch.id)).map((item) => [
      item.businessReference,
      item.status,
    ]);
    expect(statuses).toEqual([
      ['CU-1', 'pending'],
      ['CU-2', 'pending'],
      ['CU-3', 'cancelled'],
    ]);
    await submission.resumeQueue('EUR', 'ops');
  });

  it('keeps a manual pause through balance polls until an operator resumes it', async () => {
    const { batches, submission, repository } = bed.instance;
    const { batch } = await batches.createBatch({
      reference: 'MANUAL',
      source: 'api',
      createdBy: 'ops',
      lines: [line('MP-1', 'VEND-0101', '5.00', 'EUR')],
    });
    await batches.queueBatch(batch.id, 'ops');
    const pause = await submission.pauseQueue('EUR', 'ops', 'hold');
    expect(pause.reason).toBe(MANUAL_PAUSE);
    await expect(submission.pauseQueue('EUR', 'ops')).rejects.toThrow(PayoutStateError);
    expect(await submission.pollPausedQueues()).toEqual([]);
    expect((await submission.processQueues()).paused).toEqual(['EUR']);
    expect((await batches.listItems(batch.id)).map((item) => item.status)).toEqual(['queued']);
    await submission.resumeQueue('EUR', 'ops');
    await submission.processQueues();
    expect((await batches.listItems(batch.id)).map((item) => item.status)).toEqual(['pending']);
    expect(
      await repository.openPause(bed.sandbox.credentials.payoneer.programId, 'EUR'),
    ).toBeNull();
  });
});
