import { setTimeout as delay } from 'node:timers/promises';
import { WebhookReceiver } from '../../../apps/sandbox/src/testing/webhook-receiver';
import { readIpcnPayoutNotification } from './ipcn-payout-notification';
import { type GatewayPayoutStatus, type PayoutGateway } from './payout-gateway.port';
import { PayoutGatewayError } from './payout.errors';
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

/** `gateway` with its status lookups answered by `getStatus` instead. */
function withStatusLookup(
  gateway: PayoutGateway,
  getStatus: (reference: string) => Promise<GatewayPayoutStatus | null>,
): PayoutGateway {
  return {
    getBalance: (currency) => gateway.getBalance(currency),
    submit: (items) => gateway.submit(items),
    getStatus,
    cancel: (reference) => gateway.cancel(reference),
    getPayeeStatus: (payeeId) => gateway.getPayeeStatus(payeeId),
  };
}

/** Opens once; `opened()` waits for that, or gives up after 2 s so a test fails instead of hanging. */
function gate(): { open: () => void; opened: () => Promise<void> } {
  let open = (): void => undefined;
  const opening = new Promise<void>((resolve) => (open = resolve));
  return {
    open: () => open(),
    opened: () => Promise.race([opening, delay(2_000, undefined, { ref: false })]),
  };
}

describe('PayoutStatusTracker polling', () => {
  let bed: PayoutTestBed;

  beforeAll(async () => {
    bed = await startPayoutTestBed();
    await bed.control('/payoneer/payees', { payeeId: 'PAYEE-POLL' });
    bed.payees.set('P-POLL', 'PAYEE-POLL');
  });
  afterAll(async () => {
    await bed.close();
  });

  /** `count` items submitted and settled at Payoneer (`Transferred`) but `pending` here; their client reference ids. */
  async function pendingItems(reference: string, count: number): Promise<string[]> {
    const { batches, submission } = bed.instance;
    const { batch } = await batches.createBatch({
      reference,
      source: 'api',
      createdBy: 'finance@example.com',
      lines: Array.from({ length: count }, (_, index) => ({
        businessReference: `${reference}-${index + 1}`,
        partyReference: 'P-POLL',
        amount: '10.00',
        currency: 'USD',
        description: 'polling test payout',
      })),
    });
    await batches.queueBatch(batch.id, 'finance@example.com');
    expect(await submission.processQueues()).toMatchObject({ submitted: count });
    await bed.control('/clock/advance', { seconds: 10 });
    return (await batches.listItems(batch.id, ['pending'])).map((item) => item.clientReferenceId);
  }

  async function statusOf(clientReferenceId: string): Promise<string | undefined> {
    return (await bed.instance.repository.findItemByClientReference(clientReferenceId))?.status;
  }

  it('asks for statuses side by side, never more than statusPollConcurrency at once, each item once', async () => {
    const references = await pendingItems('POLL-SIDE', 12);
    expect(references).toHaveLength(12);
    const asked: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const poller = await bed.startInstance(
      (gateway) =>
        withStatusLookup(gateway, async (reference) => {
          asked.push(reference);
          inFlight++;
          mostInFlight = Math.max(mostInFlight, inFlight);
          try {
            await delay(10);
            return await gateway.getStatus(reference);
          } finally {
            inFlight--;
          }
        }),
      { statusPollConcurrency: 3 },
    );

    expect(await poller.tracker.pollAwaitingNews()).toEqual({ checked: 12, changed: 12 });
    expect(mostInFlight).toBe(3);
    expect([...asked].sort()).toEqual([...references].sort());
    expect(await Promise.all(references.map(statusOf))).toEqual(references.map(() => 'paid'));
  });

  it('stops at a failed lookup: starts no other, applies those in flight, throws, and leaves the rest to the next run', async () => {
    const references = await pendingItems('POLL-FAIL', 9);
    const refused = new PayoutGatewayError('config', 'Payoneer refused the credentials');
    const asked: string[] = [];
    const threeAsked = gate();
    const failed = gate();
    const poller = await bed.startInstance(
      (gateway) =>
        withStatusLookup(gateway, async (reference) => {
          asked.push(reference);
          if (asked.length === 3) threeAsked.open();
          if (asked.length === 1) {
            await threeAsked.opened();
            failed.open();
            throw refused;
          }
          // The other two answer only after the first has failed.
          await failed.opened();
          await delay(20);
          return gateway.getStatus(reference);
        }),
      { statusPollConcurrency: 3 },
    );

    await expect(poller.tracker.pollAwaitingNews()).rejects.toBe(refused);
    expect(asked).toHaveLength(3);
    const [failedReference, ...answered] = asked;
    expect(await Promise.all(answered.map(statusOf))).toEqual(['paid', 'paid']);
    expect(await statusOf(failedReference!)).toBe('pending');

    // The next run asks the failed item and the six never asked.
    expect(await bed.instance.tracker.pollAwaitingNews()).toEqual({ checked: 7, changed: 7 });
    expect(await Promise.all(references.map(statusOf))).toEqual(references.map(() => 'paid'));
  });
});
