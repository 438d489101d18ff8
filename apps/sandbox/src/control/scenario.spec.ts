import { startSandbox, type SandboxHandle } from '../sandbox';
import { resolveSandboxOptions } from '../sandbox-options';
import { readJson } from '../testing/read-json';

describe('scenario and state API', () => {
  let sandbox: SandboxHandle;
  const control = (path: string, body: unknown = {}, method = 'POST') =>
    fetch(`${sandbox.urls.control}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const clarityGet = async (path: string) =>
    (await readJson(
      await fetch(`${sandbox.urls.clarity}${path}`, {
        headers: { authorization: `Bearer ${sandbox.credentials.clarity.apiKey}` },
      }),
    )) as {
      Results: Array<{ StatusKey: string }>;
      TotalCount: number;
    };

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      seed: 21,
      clock: { start: '2026-03-01T10:00:00Z', frozen: true },
    });
  });
  afterAll(() => sandbox.close());

  it('seeds a merchant with accounts, active/inactive payees and orders across currencies, the same for the same seed', async () => {
    const seed = async () => {
      await control('/reset', { seed: 1234 });
      const response = await control('/scenarios/merchant', {
        customers: 4,
        vendors: 2,
        affiliates: 2,
        products: 5,
        orders: 12,
        currencies: ['USD', 'EUR', 'GBP'],
        paidRatio: 0.5,
        inactivePayees: 1,
        reset: false,
      });
      expect(response.status).toBe(200);
      const orders = await clarityGet('/Ordering/SalesOrders?Paging.Size=100');
      return { merchant: (await readJson(response)).merchant, orders: orders.Results };
    };
    const first = await seed();
    expect(first.merchant.customers).toHaveLength(4);
    expect(first.merchant.vendors[0]).toMatchObject({
      CustomKey: 'VEND-0001',
      payeeId: 'VEND-0001',
      payeeStatus: 'INACTIVE',
    });
    expect(
      first.merchant.affiliates.every(
        (affiliate: { payeeStatus: string }) => affiliate.payeeStatus === 'ACTIVE',
      ),
    ).toBe(true);
    expect(first.merchant.orders.created).toBe(12);
    expect(Object.keys(first.merchant.orders.byCurrency).length).toBeGreaterThan(1);
    expect(first.orders).toHaveLength(12);
    const paid = first.orders.filter(
      (order: { StatusKey: string }) => order.StatusKey === 'Full Payment Received',
    );
    expect(paid).toHaveLength(first.merchant.orders.paid);
    const account = await readJson(await fetch(`${sandbox.urls.control}/payoneer/account`));
    expect(account.receivedPayments).toHaveLength(first.merchant.orders.paid);

    expect(await seed()).toEqual(first);
  });

  it('refuses a scenario it cannot build, naming the field', async () => {
    const response = await control('/scenarios/merchant', { customers: 0 });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await readJson(response))).toContain('customers');
  });

  it('drives bounded traffic and stops at maxOrders', async () => {
    await control('/scenarios/merchant', { orders: 0 });
    const started = await control('/traffic', { ordersPerSecond: 50, maxOrders: 5 });
    expect((await readJson(started)).running).toBe(true);
    let state = await readJson(await fetch(`${sandbox.urls.control}/traffic`));
    for (let waited = 0; state.running && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = await readJson(await fetch(`${sandbox.urls.control}/traffic`));
    }
    expect(state).toMatchObject({
      running: false,
      ordersCreated: 5,
      stopReason: 'maxOrders reached',
    });
    expect((await clarityGet('/Ordering/SalesOrders')).TotalCount).toBe(5);
    const tooFast = await control('/traffic', { ordersPerSecond: 5000 });
    expect(tooFast.status).toBe(400);
  });

  it('funds and drains the Payoneer balance and reads the payout history', async () => {
    await control('/reset');
    await control('/payoneer/drain', { currency: 'GBP' });
    await control('/payoneer/fund', { currency: 'GBP', amount: '12.34' });
    const history = await readJson(await fetch(`${sandbox.urls.control}/payouts`));
    expect(history.payouts).toEqual([]);
    expect(
      history.balances.find((item: { currency: string }) => item.currency === 'GBP')
        .available_balance,
    ).toBe('12.34');
  });

  it('resets every simulator', async () => {
    await control('/scenarios/merchant', { orders: 3 });
    await control('/faults', { system: 'erp', kind: '500' });
    const reset = await control('/reset', { seed: 8 });
    expect((await readJson(reset)).seed).toBe(8);
    expect((await clarityGet('/Ordering/SalesOrders')).TotalCount).toBe(0);
    expect((await readJson(await fetch(`${sandbox.urls.control}/faults`))).rules).toEqual([]);
  });

  it('serves OpenAPI docs listing the simulated and control routes', async () => {
    const ui = await fetch(sandbox.urls.docs);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
    const document = await readJson(await fetch(`${sandbox.urls.docs}-json`));
    const paths = Object.keys(document.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/clarity/DesktopModules/ClarityEcommerce/API/Ordering/SalesOrders',
        '/payoneer/v4/programs/{programId}/masspayouts',
        '/payoneer/api/v2/oauth2/token',
        '/erp/api/resource/{doctype}',
        '/_sandbox/faults',
        '/_sandbox/clock/advance',
      ]),
    );
  });

  it('rejects options it cannot run with', () => {
    expect(() => resolveSandboxOptions({ port: 70_000 })).toThrow(
      'port must be an integer in [0, 65535], got 70000',
    );
    expect(() => resolveSandboxOptions({ initialBalances: { usd: '1' } })).toThrow(
      'initialBalances: "usd" is not an ISO-4217 code',
    );
  });
});
