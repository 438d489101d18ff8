import { WebhookReceiver } from '../../../apps/sandbox/src/testing/webhook-receiver';
import { readIpcnPayoutNotification } from './ipcn-payout-notification';
import { startPayoutTestBed, type PayoutTestBed } from './testing/payout-test-bed';

jest.setTimeout(30_000);

describe('PayoutStatusTracker with Payoneer notifications', () => {
  let bed: PayoutTestBed;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    bed = await startPayoutTestBed({ chunkSize: 10 });
    receiver = await WebhookReceiver.start();
    await bed.control('/webhooks', {
      system: 'payoneer',
      url: `${receiver.url}/ipcn`,
      events: ['PaymentRequestAccepted', 'SentToBank', 'AccountCardLoaded', 'CancelPayout'],
    });
    for (const payee of ['VEND-0001', 'VEND-0002', 'AFF-0001']) {
      await bed.control('/payoneer/payees', { payeeId: payee });
      bed.payees.set(payee, payee);
    }
  });
  afterAll(async () => {
    await receiver.close();
    await bed.close();
  });

  it('moves items to paid or review from notifications alone, leaving nothing for the polling fallback', async () => {
    const { batches, submission, tracker } = bed.instance;
    const { batch } = await batches.createBatchFromCsv(
      [
        'business_reference,party_reference,amount,currency,description',
        'VB-2026-03-VEND-0001,VEND-0001,300.00,USD,March vendor balance',
        'VB-2026-03-VEND-0002,VEND-0002,80.25,EUR,March vendor balance',
        'AC-2026-03-AFF-0001,AFF-0001,12.10,USD,March affiliate commission',
      ].join('\n'),
      'march.csv',
      { reference: 'PAYABLES-2026-03', createdBy: 'finance@example.com' },
    );
    expect(await batches.queueBatch(batch.id, 'finance@example.com')).toEqual({
      queued: 3,
      inReview: 0,
    });
    // Payoneer will refuse the affiliate's payout as "payee not found" once it settles.
    await bed.control('/faults', {
      system: 'payoneer',
      route: 'POST /v4/programs/:programId/masspayouts',
      kind: 'invalid_payee',
      after: 2,
      count: 1,
    });
    expect(await submission.processQueues()).toMatchObject({ submitted: 3, chunks: 2 });
    await bed.control('/clock/advance', { seconds: 10 });

    const settled = await receiver.waitFor(3, (webhook) =>
      ['SentToBank', 'AccountCardLoaded', 'CancelPayout'].includes(
        String(webhook.headers['x-sandbox-event']),
      ),
    );
    const outcomes = [];
    for (const webhook of receiver.received) {
      const notification = readIpcnPayoutNotification(
        String(webhook.headers['x-sandbox-event']),
        JSON.parse(webhook.body) as Record<string, string>,
      );
      if (notification !== null)
        outcomes.push(
          await tracker.handleNotification(notification.clientReferenceId, notification.status),
        );
    }
    expect(settled).toHaveLength(3);
    expect(
      outcomes
        .filter((outcome) => outcome?.changed)
        .map((outcome) => [outcome?.clientReferenceId, outcome?.status]),
    ).toEqual(
      expect.arrayContaining([
        ['VB-2026-03-VEND-0001-A1', 'paid'],
        ['VB-2026-03-VEND-0002-A1', 'paid'],
        ['AC-2026-03-AFF-0001-A1', 'in_review'],
      ]),
    );
    // A duplicate or late notification changes nothing.
    const late = await tracker.handleNotification('VB-2026-03-VEND-0001-A1', {
      status: 'pending',
      rawStatus: 'Pending',
    });
    expect(late).toMatchObject({ status: 'paid', changed: false });
    expect(
      await tracker.handleNotification('NOT-OURS-A1', {
        status: 'transferred',
        rawStatus: 'Transferred',
      }),
    ).toBeNull();

    expect(await tracker.pollAwaitingNews()).toEqual({ checked: 0, changed: 0 });
    expect((await batches.getBatch(batch.id)).counts).toEqual({ paid: 2, in_review: 1 });
    const finance = bed.alerts.alerts.filter((alert) => alert.rule === 'payouts.item_in_review');
    expect(finance.map((alert) => alert.subject)).toEqual(['payout-item:AC-2026-03-AFF-0001-A1']);
  });
});
