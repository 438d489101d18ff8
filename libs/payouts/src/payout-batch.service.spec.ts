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

describe('PayoutBatchService and queue control against the sandbox', () => {
  let bed: PayoutTestBed;

  beforeAll(async () => {
    bed = await startPayoutTestBed({
      chunkSize: 5,
      initialBalances: { USD: '1000.00', EUR: '0.00' },
    });
    await bed.control('/payoneer/payees', { payeeId: 'VEND-0001' });
    await bed.control('/payoneer/payees', { payeeId: 'VEND-0002', status: 'PENDING' });
    bed.payees.set('VEND-0001', 'VEND-0001');
    bed.payees.set('VEND-0002', 'VEND-0002');
  });
  afterAll(async () => {
    await bed.close();
  });

  it('refuses malformed lines as a whole, naming each, and stores nothing', async () => {
    await expect(
      bed.instance.batches.createBatch({
        reference: 'BAD',
        source: 'api',
        createdBy: 'ops',
        lines: [line('R 1', 'VEND-0001', 'ten')],
      }),
    ).rejects.toThrow(PayoutInputError);
    expect(await bed.instance.dataSource.query(`SELECT * FROM payout_batches`)).toEqual([]);
  });

  it('sends only valid items: zero amounts, unsupported currencies and unready payees go to review alone', async () => {
    const { batches } = bed.instance;
    const { batch } = await batches.createBatch({
      reference: 'MIXED',
      source: 'api',
      createdBy: 'ops',
      lines: [
        line('MIX-OK', 'VEND-0001'),
        line('MIX-ZERO', 'VEND-0001', '0.00'),
        line('MIX-CAD', 'VEND-0001', '5.00', 'CAD'),
        line('MIX-PENDING', 'VEND-0002'),
      ],
    });
    expect(await batches.queueBatch(batch.id, 'ops')).toEqual({ queued: 1, inReview: 3 });
    expect(
      (await batches.listItems(batch.id, ['in_review'])).map((item) => item.statusReason),
    ).toEqual([
      'amount must be greater than 0, got 0.00',
      'currency CAD is not supported (supported: USD, EUR, GBP)',
      'payee VEND-0002 is pending at Payoneer',
    ]);
    // The abandoned one is closed for good; it cannot be re-initiated.
    const [zero] = await batches.listItems(batch.id, ['in_review']);
    await batches.cancelItem(zero!.id, { actor: 'ops', reason: 'nothing is owed' });
    await expect(batches.reinitiateItem(zero!.id, { actor: 'ops' })).rejects.toThrow(
      PayoutStateError,
    );
    expect(await bed.instance.submission.processQueues()).toMatchObject({ submitted: 1 });
  });

  it('takes Payoneer’s word for an item it already has instead of paying it again', async () => {
    const { batches, submission } = bed.instance;
    const { batch } = await batches.createBatch({
      reference: 'RESENT',
      source: 'api',
      createdBy: 'ops',
      lines: [line('DUP-1', 'VEND-0001', '10.00'), line('DUP-2', 'VEND-0001', '11.00')],
    });
    await batches.queueBatch(batch.id, 'ops');
    // Another process sent DUP-1 without our store knowing (a race with crash recovery).
    await bed.newGateway().submit([
      {
        clientReferenceId: 'DUP-1-A1',
        payeeId: 'VEND-0001',
        amount: '10.00',
        currency: 'USD',
        description: 'race',
      },
    ]);
    const report = await submission.processQueues();
    expect(report).toMatchObject({ reconciled: 1, submitted: 1 });
    const payouts = (
      (await bed.control('/payouts', undefined, 'GET')) as {
        payouts: Array<{ clientReferenceId: string }>;
      }
    ).payouts;
    expect(payouts.filter((payout) => payout.clientReferenceId.startsWith('DUP-'))).toHaveLength(2);
    expect((await batches.getBatch(batch.id)).counts).toEqual({ pending: 2 });
  });

  it('pauses a queue the balance cannot cover and resumes it by API, from where it stopped', async () => {
    const { batches, submission } = bed.instance;
    const { batch } = await batches.createBatch({
      reference: 'EUR-RUN',
      source: 'api',
      createdBy: 'ops',
      lines: [
        line('EUR-1', 'VEND-0001', '40.00', 'EUR'),
        line('EUR-2', 'VEND-0001', '40.00', 'EUR'),
      ],
    });
    await batches.queueBatch(batch.id, 'ops');
    await expect(submission.resumeQueue('EUR', 'treasury@example.com')).rejects.toThrow(
      'is not paused',
    );
    expect(await submission.processQueues()).toMatchObject({ submitted: 0, paused: ['EUR'] });
    expect((await submission.listPausedQueues()).map((pause) => pause.currency)).toEqual(['EUR']);

    await bed.control('/payoneer/fund', { currency: 'EUR', amount: '50.00' });
    await submission.resumeQueue('EUR', 'treasury@example.com');
    // Funded for one of two: the first goes, the queue pauses again before the second.
    expect(await submission.processQueues()).toMatchObject({ submitted: 1, paused: ['EUR'] });
    expect(
      (await batches.listItems(batch.id, ['queued'])).map((item) => item.businessReference),
    ).toEqual(['EUR-2']);
    const audit = await bed.instance.dataSource.query<Array<{ action: string; actor: string }>>(
      `SELECT action, actor FROM audit_log WHERE subject_type = 'payout_queue' ORDER BY id`,
    );
    expect(audit).toEqual([
      { action: 'payouts.queue.pause', actor: 'system:payout-submitter' },
      { action: 'payouts.queue.resume', actor: 'treasury@example.com' },
      { action: 'payouts.queue.pause', actor: 'system:payout-submitter' },
    ]);
  });
});
