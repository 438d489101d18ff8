import { ConnectorError } from '@switchboard/connector-sdk';
import { type JournalEntryPlan, type ReconciliationService } from '@switchboard/reconciliation';
import { type DataSource } from 'typeorm';
import { type AlertService, type RaiseAlert } from '../alerts/alert.service';
import { loadRuntimeConfig } from '../config/load-runtime-config';
import { type ActionInvoker } from '../worker/action-invoker';
import { ReconciliationPosting } from './reconciliation-posting.service';

const plan: JournalEntryPlan = {
  reference: 'revenue:clarity:7+clarity:8',
  kind: 'revenue',
  postingDate: '2026-11-20',
  currency: 'USD',
  lines: [
    { account: '@payoneerClearing', debit: '100.00', credit: '0' },
    { account: '@revenue', debit: '0', credit: '100.00' },
  ],
  sourceRecords: [],
};

/** The posting with recording fakes: each call lands in `calls`; `failures` throws per call name. */
function harness(failures: Record<string, Error[]> = {}) {
  const calls: string[] = [];
  const alerts: RaiseAlert[] = [];
  const config = loadRuntimeConfig(undefined, {});
  config.reconciliation.postingInitialBackoffMs = 1;
  config.reconciliation.postingMaxBackoffMs = 2;
  config.reconciliation.postingMaxAttempts = 3;
  const actions: ActionInvoker = {
    invoke: (connector, action, input) => {
      // An entry is named by its reference; a status update by its whole input.
      const shown =
        action === 'postJournalEntry'
          ? (input as JournalEntryPlan).reference
          : JSON.stringify(input);
      calls.push(`${connector}.${action} ${shown}`);
      const failure = failures[action]?.shift();
      return failure === undefined
        ? Promise.resolve({ name: 'ACC-JV-2026-00001' })
        : Promise.reject(failure);
    },
  };
  const service = {
    markPosted: (matchId: string, erpReference: string) => {
      calls.push(`markPosted ${matchId} ${erpReference}`);
      return Promise.resolve({ firstTime: true });
    },
  } as unknown as ReconciliationService;
  const alertService = {
    raise: (alert: RaiseAlert) => {
      alerts.push(alert);
      return Promise.resolve();
    },
  } as unknown as AlertService;
  // USD plans need no rate: the rate table is never read.
  const dataSource = { getRepository: () => ({}) } as unknown as DataSource;
  const posting = new ReconciliationPosting(config, service, alertService, actions, dataSource);
  return { posting, calls, alerts };
}

const match = { matchId: 'm-1', kind: 'scored', orderKeys: ['clarity:7', 'clarity:8'], plan };

describe('ReconciliationPosting', () => {
  it('posts the entry, marks each Clarity order, and only then marks the match posted', async () => {
    const { posting, calls, alerts } = harness();
    await expect(posting.post(match)).resolves.toBe(true);
    expect(calls).toEqual([
      'erp.postJournalEntry revenue:clarity:7+clarity:8',
      'clarity.updateOrderStatus {"orderId":7,"statusKey":"Reconciled"}',
      'clarity.updateOrderStatus {"orderId":8,"statusKey":"Reconciled"}',
      'markPosted m-1 ACC-JV-2026-00001',
    ]);
    expect(alerts).toEqual([]);
  });

  it('posts a correction without touching order statuses', async () => {
    const { posting, calls } = harness();
    await posting.post({ ...match, kind: 'refund', orderKeys: ['clarity:7'] });
    expect(calls.map((call) => call.split(' ')[0])).toEqual(['erp.postJournalEntry', 'markPosted']);
  });

  it('retries transient and rate-limited failures', async () => {
    const { posting, calls } = harness({
      postJournalEntry: [new ConnectorError('transient', 'HTTP 503')],
      updateOrderStatus: [new ConnectorError('rate_limited', 'HTTP 429', { retryAfterMs: 1 })],
    });
    await expect(posting.post(match)).resolves.toBe(true);
    expect(calls.filter((call) => call.startsWith('erp.'))).toHaveLength(2);
    expect(calls.filter((call) => call.startsWith('clarity.'))).toHaveLength(3);
    expect(calls.at(-1)).toBe('markPosted m-1 ACC-JV-2026-00001');
  });

  it('leaves the match unposted and raises a critical alert when a step keeps failing', async () => {
    const outage = Array.from({ length: 3 }, () => new ConnectorError('transient', 'HTTP 500'));
    const { posting, calls, alerts } = harness({ updateOrderStatus: outage });
    await expect(posting.post(match)).resolves.toBe(false);
    expect(calls.some((call) => call.startsWith('markPosted'))).toBe(false);
    expect(alerts).toEqual([
      expect.objectContaining({
        rule: 'reconciliation_posting_failed',
        severity: 'critical',
        subject: plan.reference,
        details: expect.objectContaining({
          matchId: 'm-1',
          failureType: 'transient',
          team: 'finance',
        }),
      }),
    ]);
  });

  it('does not retry a business refusal', async () => {
    const { posting, calls, alerts } = harness({
      postJournalEntry: [
        new ConnectorError('business', 'Total Debit must be equal to Total Credit'),
      ],
    });
    await expect(posting.post(match)).resolves.toBe(false);
    expect(calls).toHaveLength(1);
    expect(alerts[0]?.details).toMatchObject({ failureType: 'business' });
  });
});
