import {
  type ConnectorError,
  type ConnectorInstance,
  createConnectorInstance,
  staticSecrets,
} from '@switchboard/connector-sdk';

import { type SandboxHandle, startSandbox } from '../../../apps/sandbox/src';
import erp from '../erp.connector';
import { ERP_TEST_SETTINGS } from './erp-test-settings';

let sandbox: SandboxHandle;
let connector: ConnectorInstance;

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sandbox.urls.control}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    return error as ConnectorError;
  }
  throw new Error('expected the call to fail');
}

const feeEntry = (reference: string, debit = '2.50', credit = '2.50') => ({
  reference,
  postingDate: '2026-03-01',
  currency: 'USD',
  remark: `fee ${reference}`,
  lines: [
    { account: '@feesExpense', debit, credit: '0' },
    { account: '@payoneerClearing', debit: '0', credit },
  ],
});

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 11 });
  connector = createConnectorInstance(erp, {
    baseUrl: sandbox.urls.erp,
    settings: ERP_TEST_SETTINGS,
    secrets: staticSecrets(sandbox.credentials.erp),
    http: { timeoutMs: 1_000, retry: { initialDelayMs: 10, maxDelayMs: 50 } },
  });
});
afterAll(async () => {
  await connector.close();
  await sandbox.close();
});
afterEach(async () => {
  await control('DELETE', '/faults');
});

describe('erp connector against the sandbox ERPNext', () => {
  it('posts a journal entry once per reference, however often it is asked', async () => {
    const first = await connector.invoke('postJournalEntry', feeEntry('fee:TX-1'));
    const again = await connector.invoke('postJournalEntry', feeEntry('fee:TX-1'));
    expect(first).toMatchObject({ created: true, docstatus: 1, totalDebit: 2.5, totalCredit: 2.5 });
    expect(again).toMatchObject({ created: false, name: (first as { name: string }).name });
    const ledger = await control('GET', '/ledger');
    const entries = ledger.journalEntries.filter((e: any) => e.custom_sb_reference === 'fee:TX-1');
    expect(entries).toHaveLength(1);
    expect(ledger.accounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ account: 'Payoneer Fees - SDM', debit: '2.50' }),
      ]),
    );
  });

  it('finds the entry posted under a reference', async () => {
    const posted = (await connector.invoke('postJournalEntry', feeEntry('fee:TX-2'))) as {
      name: string;
    };
    await expect(connector.invoke('findJournalEntry', { reference: 'fee:TX-2' })).resolves.toEqual({
      found: true,
      entry: expect.objectContaining({ name: posted.name, reference: 'fee:TX-2', docstatus: 1 }),
    });
  });

  it("refuses an unbalanced entry as a business failure carrying ERPNext's message", async () => {
    const failure = await failureOf(
      connector.invoke('postJournalEntry', feeEntry('fee:TX-3', '3.50', '2.50')),
    );
    expect(failure).toMatchObject({
      failureType: 'business',
      code: 'UNBALANCED_ENTRY',
      status: 417,
    });
    expect(failure.message).toContain('Total Debit must be equal to Total Credit');
  });

  it('reports an account the ERP does not know as a config failure naming it', async () => {
    const entry = feeEntry('fee:TX-4');
    entry.lines[0]!.account = 'Nope - SDM';
    const failure = await failureOf(connector.invoke('postJournalEntry', entry));
    expect(failure).toMatchObject({ failureType: 'config', code: 'UNKNOWN_LINK' });
    expect(failure.message).toContain('Nope - SDM');
  });

  it('names the setting when a line uses an account role that is not configured', async () => {
    const unconfigured = createConnectorInstance(erp, {
      baseUrl: sandbox.urls.erp,
      settings: { company: ERP_TEST_SETTINGS.company },
      secrets: staticSecrets(sandbox.credentials.erp),
    });
    const failure = await failureOf(unconfigured.invoke('postJournalEntry', feeEntry('fee:TX-5')));
    await unconfigured.close();
    expect(failure).toMatchObject({ failureType: 'config', code: 'ACCOUNT_ROLE_UNSET' });
    expect(failure.message).toContain('settings.accounts.feesExpense');
  });

  it('waits out a 429 with Retry-After and a 503, then posts exactly once', async () => {
    await control('POST', '/faults', {
      system: 'erp',
      route: 'POST /api/resource/**',
      kind: '429',
      count: 1,
      retryAfterSeconds: 1,
    });
    await control('POST', '/faults', {
      system: 'erp',
      route: 'GET /api/**',
      kind: '503',
      count: 1,
    });
    await expect(connector.invoke('postJournalEntry', feeEntry('fee:TX-6'))).resolves.toMatchObject(
      {
        created: true,
      },
    );
    const { injections } = await control('GET', '/faults/log');
    expect(injections.map((injection: { kind: string }) => injection.kind).sort()).toEqual([
      '429',
      '503',
    ]);
  });

  it('retries a post whose answer timed out without posting it twice', async () => {
    await control('POST', '/faults', {
      system: 'erp',
      route: 'POST /api/resource/**',
      kind: 'timeout',
      count: 1,
      delayMs: 3_000,
    });
    await expect(connector.invoke('postJournalEntry', feeEntry('fee:TX-7'))).resolves.toMatchObject(
      {
        reference: 'fee:TX-7',
      },
    );
    const ledger = await control('GET', '/ledger');
    expect(
      ledger.journalEntries.filter((e: any) => e.custom_sb_reference === 'fee:TX-7'),
    ).toHaveLength(1);
  });

  it('gives up on a lasting 5xx as a transient failure', async () => {
    await control('POST', '/faults', { system: 'erp', route: '*', kind: '500', count: 10 });
    const failure = await failureOf(connector.invoke('findJournalEntry', { reference: 'x' }));
    expect(failure).toMatchObject({ failureType: 'transient', status: 500 });
  });

  it('lists the leaf accounts the settings name', async () => {
    const { accounts } = (await connector.invoke('getAccounts', {})) as {
      accounts: { name: string; isGroup: boolean }[];
    };
    const names = accounts.map((account) => account.name);
    expect(names).toEqual(expect.arrayContaining(Object.values(ERP_TEST_SETTINGS.accounts)));
    expect(accounts.every((account) => !account.isGroup)).toBe(true);
  });
});
