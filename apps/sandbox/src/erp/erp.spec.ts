import { startSandbox, type SandboxHandle } from '../sandbox';
import { readJson } from '../testing/read-json';

describe('ERP (ERPNext/Frappe) simulator', () => {
  let sandbox: SandboxHandle;
  let auth: Record<string, string>;

  const erp = (path: string, init: RequestInit = {}) =>
    fetch(`${sandbox.urls.erp}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...auth,
        ...(init.headers as Record<string, string>),
      },
    });
  const journalEntries = '/api/resource/Journal%20Entry';
  const entry = (reference: string, debit = 100, credit = 100) => ({
    company: 'Switchboard Demo Merchant',
    posting_date: '2026-03-01',
    voucher_type: 'Journal Entry',
    custom_sb_reference: reference,
    accounts: [
      { account: 'Payoneer Clearing - SDM', debit_in_account_currency: debit },
      { account: 'Sales - SDM', credit_in_account_currency: credit },
    ],
  });
  const serverMessages = (body: { _server_messages: string }) =>
    (JSON.parse(body._server_messages) as string[]).map(
      (message) => (JSON.parse(message) as { message: string }).message,
    );

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      seed: 3,
      clock: { start: '2026-03-01T10:00:00Z', frozen: true },
    });
    auth = {
      authorization: `token ${sandbox.credentials.erp.apiKey}:${sandbox.credentials.erp.apiSecret}`,
    };
  });
  afterAll(() => sandbox.close());
  beforeEach(() =>
    fetch(`${sandbox.urls.control}/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }),
  );

  describe('token auth', () => {
    it('runs a call without Authorization as Guest: 403 PermissionError', async () => {
      const response = await fetch(`${sandbox.urls.erp}${journalEntries}`);
      expect(response.status).toBe(403);
      expect((await readJson(response)).exc_type).toBe('PermissionError');
    });

    it('refuses a wrong secret with 401 AuthenticationError and accepts Basic key:secret', async () => {
      const wrong = await fetch(`${sandbox.urls.erp}${journalEntries}`, {
        headers: { authorization: `token ${sandbox.credentials.erp.apiKey}:nope` },
      });
      expect(wrong.status).toBe(401);
      expect((await readJson(wrong)).exc_type).toBe('AuthenticationError');
      const basic = Buffer.from(
        `${sandbox.credentials.erp.apiKey}:${sandbox.credentials.erp.apiSecret}`,
      ).toString('base64');
      expect(
        (
          await fetch(`${sandbox.urls.erp}${journalEntries}`, {
            headers: { authorization: `Basic ${basic}` },
          })
        ).status,
      ).toBe(200);
    });
  });

  describe('chart of accounts', () => {
    it('serves the accounts the flows post to, with types and currencies', async () => {
      const fields = encodeURIComponent(
        JSON.stringify(['name', 'account_type', 'account_currency', 'is_group']),
      );
      const filters = encodeURIComponent(JSON.stringify([['is_group', '=', 0]]));
      const body = await readJson(
        await erp(
          `/api/resource/Account?fields=${fields}&filters=${filters}&limit_page_length=0&order_by=name%20asc`,
        ),
      );
      const byName = Object.fromEntries(
        body.data.map((account: { name: string }) => [account.name, account]),
      );
      expect(byName['Debtors - SDM']).toMatchObject({ account_type: 'Receivable' });
      expect(byName['Payoneer Clearing - SDM']).toMatchObject({
        account_type: 'Bank',
        account_currency: 'USD',
      });
      expect(byName['Sales - SDM']).toMatchObject({ account_type: 'Income Account' });
      expect(byName['Payoneer Fees - SDM']).toBeDefined();
      expect(byName['Exchange Gain/Loss - SDM']).toBeDefined();
      const single = await erp(
        `/api/resource/Account/${encodeURIComponent('Exchange Gain/Loss - SDM')}`,
      );
      expect((await readJson(single)).data.root_type).toBe('Expense');
    });
  });

  describe('Journal Entry', () => {
    it('inserts a balanced entry with 200, an ACC-JV name, totals, and no null fields', async () => {
      const response = await erp(journalEntries, {
        method: 'POST',
        body: JSON.stringify({ ...entry('ref-1'), name: 'my-own-name' }),
      });
      expect(response.status).toBe(200);
      const { data } = await readJson(response);
      expect(data).toMatchObject({
        name: 'ACC-JV-2026-00001',
        docstatus: 0,
        total_debit: 100,
        total_credit: 100,
        difference: 0,
        doctype: 'Journal Entry',
      });
      expect(data.accounts[0]).toMatchObject({
        parent: 'ACC-JV-2026-00001',
        parentfield: 'accounts',
        idx: 1,
        debit: 100,
        cost_center: 'Main - SDM',
      });
      expect(Object.values(data).includes(null)).toBe(false);
    });

    it('refuses an unbalanced entry with 417 ValidationError and ERPNext’s message', async () => {
      const response = await erp(journalEntries, {
        method: 'POST',
        body: JSON.stringify(entry('ref-2', 100, 99)),
      });
      expect(response.status).toBe(417);
      const body = await readJson(response);
      expect(body.exc_type).toBe('ValidationError');
      expect(serverMessages(body)).toEqual([
        'Total Debit must be equal to Total Credit. The difference is 1.0',
      ]);
      const list = await readJson(await erp(journalEntries));
      expect(list.data).toEqual([]);
    });

    it('names the row and the account when a link does not resolve', async () => {
      const bad = entry('ref-3');
      bad.accounts[1]!.account = 'Revenue - XX';
      const response = await erp(journalEntries, { method: 'POST', body: JSON.stringify(bad) });
      expect(response.status).toBe(417);
      const body = await readJson(response);
      expect(body.exc_type).toBe('LinkValidationError');
      expect(serverMessages(body)[0]).toBe('Could not find Row #2: Account: Revenue - XX');
    });

    it('requires a party on receivable rows', async () => {
      const receivable = entry('ref-4');
      receivable.accounts[0]!.account = 'Debtors - SDM';
      const response = await erp(journalEntries, {
        method: 'POST',
        body: JSON.stringify(receivable),
      });
      expect(response.status).toBe(417);
      expect(serverMessages(await readJson(response))[0]).toBe(
        'Row 1: Party Type and Party is required for Receivable / Payable account Debtors - SDM',
      );
    });

    it('is idempotent by custom_sb_reference: a second insert gets 417 UniqueValidationError and the first is found by filter', async () => {
      expect(
        (await erp(journalEntries, { method: 'POST', body: JSON.stringify(entry('order-42')) }))
          .status,
      ).toBe(200);
      const again = await erp(journalEntries, {
        method: 'POST',
        body: JSON.stringify(entry('order-42')),
      });
      expect(again.status).toBe(417);
      expect((await readJson(again)).exc_type).toBe('UniqueValidationError');
      const filters = encodeURIComponent(
        JSON.stringify([['custom_sb_reference', '=', 'order-42']]),
      );
      const found = await readJson(
        await erp(
          `${journalEntries}?filters=${filters}&fields=${encodeURIComponent('["name","custom_sb_reference"]')}`,
        ),
      );
      expect(found.data).toEqual([{ name: 'ACC-JV-2026-00001', custom_sb_reference: 'order-42' }]);
    });

    it('submits with docstatus 1, writes GL entries, cancels with docstatus 2, and refuses illegal transitions', async () => {
      const { data } = await readJson(
        await erp(journalEntries, {
          method: 'POST',
          body: JSON.stringify({ ...entry('ref-5'), docstatus: 1 }),
        }),
      );
      expect(data.docstatus).toBe(1);
      const ledger = await readJson(await fetch(`${sandbox.urls.control}/ledger`));
      expect(ledger.accounts).toEqual(
        expect.arrayContaining([
          {
            account: 'Payoneer Clearing - SDM',
            debit: '100.00',
            credit: '0.00',
            balance: '100.00',
          },
          { account: 'Sales - SDM', debit: '0.00', credit: '100.00', balance: '-100.00' },
        ]),
      );
      const toDraft = await erp(`${journalEntries}/${data.name}`, {
        method: 'PUT',
        body: JSON.stringify({ docstatus: 0 }),
      });
      expect(toDraft.status).toBe(417);
      expect((await readJson(toDraft)).exc_type).toBe('DocstatusTransitionError');
      expect((await erp(`${journalEntries}/${data.name}`, { method: 'DELETE' })).status).toBe(417);

      const cancelled = await erp(`${journalEntries}/${data.name}`, {
        method: 'PUT',
        body: JSON.stringify({ docstatus: 2 }),
      });
      expect((await readJson(cancelled)).data.docstatus).toBe(2);
      const after = await readJson(await fetch(`${sandbox.urls.control}/ledger`));
      expect(
        after.accounts.every((account: { balance: string }) => account.balance === '0.00'),
      ).toBe(true);
    });

    it('refuses a PUT carrying a stale modified timestamp', async () => {
      const { data } = await readJson(
        await erp(journalEntries, { method: 'POST', body: JSON.stringify(entry('ref-6')) }),
      );
      const response = await erp(`${journalEntries}/${data.name}`, {
        method: 'PUT',
        body: JSON.stringify({ user_remark: 'x', modified: '2001-01-01 00:00:00.000000' }),
      });
      expect(response.status).toBe(417);
      expect((await readJson(response)).exc_type).toBe('TimestampMismatchError');
    });

    it('pages lists with limit_start / limit_page_length and counts through frappe.client.get_count', async () => {
      for (let index = 0; index < 5; index += 1)
        await erp(journalEntries, { method: 'POST', body: JSON.stringify(entry(`page-${index}`)) });
      const page = await readJson(
        await erp(`${journalEntries}?limit_start=1&limit_page_length=2&order_by=name%20asc`),
      );
      expect(page.data).toEqual([{ name: 'ACC-JV-2026-00002' }, { name: 'ACC-JV-2026-00003' }]);
      const count = await readJson(
        await erp('/api/method/frappe.client.get_count?doctype=Journal%20Entry'),
      );
      expect(count).toEqual({ message: 5 });
    });

    it('converts foreign-currency rows at the Currency Exchange rate and requires multi_currency', async () => {
      const foreign = {
        company: 'Switchboard Demo Merchant',
        posting_date: '2026-03-01',
        accounts: [
          { account: 'Payoneer Clearing EUR - SDM', debit_in_account_currency: 100 },
          { account: 'Sales - SDM', credit_in_account_currency: 108.5 },
        ],
      };
      const refused = await erp(journalEntries, { method: 'POST', body: JSON.stringify(foreign) });
      expect(serverMessages(await readJson(refused))[0]).toBe(
        'Please check Multi Currency option to allow accounts with other currency',
      );
      const accepted = await erp(journalEntries, {
        method: 'POST',
        body: JSON.stringify({ ...foreign, multi_currency: 1 }),
      });
      expect(accepted.status).toBe(200);
      expect((await readJson(accepted)).data.accounts[0]).toMatchObject({
        exchange_rate: 1.085,
        debit: 108.5,
        account_currency: 'EUR',
      });
    });
  });
});
