import { PayoutStateError } from './payout.errors';
import { SandboxClarityPayables } from './testing/sandbox-clarity.payables';
import { startPayoutTestBed, type PayoutTestBed } from './testing/payout-test-bed';

jest.setTimeout(30_000);

interface SeededAccount {
  CustomKey: string;
  payeeId: string;
  payeeStatus: string;
}

describe('a payout batch built from Clarity payables', () => {
  let bed: PayoutTestBed;

  beforeAll(async () => {
    bed = await startPayoutTestBed({ chunkSize: 20 });
  });
  afterAll(async () => {
    await bed.close();
  });

  it('pays unpaid commissions and vendor balances once, and a second pull finds nothing new', async () => {
    const seeded = (await bed.control('/scenarios/merchant', {
      vendors: 3,
      affiliates: 2,
      orders: 15,
      paidRatio: 1,
      inactivePayees: 1,
      pendingPayees: 0,
    })) as { merchant: { vendors: SeededAccount[]; affiliates: SeededAccount[] } };
    const accounts = [...seeded.merchant.vendors, ...seeded.merchant.affiliates];
    for (const account of accounts) bed.payees.set(account.CustomKey, account.payeeId);
    const inactive = accounts
      .filter((account) => account.payeeStatus === 'INACTIVE')
      .map((a) => a.CustomKey);
    expect(inactive).toHaveLength(1);

    const clarity = new SandboxClarityPayables({
      baseUrl: bed.sandbox.urls.clarity,
      apiKey: bed.sandbox.credentials.clarity.apiKey,
    });
    const payables = await clarity.listPayables();
    expect(payables.length).toBeGreaterThan(10);
    const { batches, submission, tracker } = bed.instance;
    const view = await batches.createBatchFromPayables(clarity, {
      reference: 'CLARITY-2026-03-01',
      createdBy: 'system:clarity-payables',
    });
    expect(view).toMatchObject({ total: payables.length, skipped: 0 });
    expect(view.batch.source).toBe('clarity');

    const owedToInactive = payables.filter((line) => inactive.includes(line.partyReference)).length;
    expect(owedToInactive).toBeGreaterThan(0);
    expect(await batches.queueBatch(view.batch.id, 'ops')).toEqual({
      queued: payables.length - owedToInactive,
      inReview: owedToInactive,
    });
    await submission.processQueues();
    await bed.control('/clock/advance', { seconds: 10 });
    await tracker.pollAwaitingNews();
    expect((await batches.getBatch(view.batch.id)).counts).toEqual({
      paid: payables.length - owedToInactive,
      in_review: owedToInactive,
    });

    await expect(
      batches.createBatchFromPayables(clarity, {
        reference: 'CLARITY-2026-03-02',
        createdBy: 'system:clarity-payables',
      }),
    ).rejects.toThrow(PayoutStateError);
  });
});
