import { startSandbox, type SandboxHandle } from '../sandbox';
import { WebhookReceiver } from '../testing/webhook-receiver';
import { readJson } from '../testing/read-json';

describe('fault injection', () => {
  let sandbox: SandboxHandle;
  let receiver: WebhookReceiver;
  let payoneerAuth: Record<string, string>;
  let clarityAuth: Record<string, string>;
  let erpAuth: Record<string, string>;

  const control = (path: string, body: unknown = {}, method = 'POST') =>
    fetch(`${sandbox.urls.control}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const addFault = async (rule: Record<string, unknown>) => {
    const response = await control('/faults', rule);
    expect(response.status).toBe(201);
    return (await readJson(response)) as { id: string };
  };
  const balance = () =>
    fetch(
      `${sandbox.urls.payoneer}/v4/programs/${sandbox.credentials.payoneer.programId}/balance`,
      { headers: payoneerAuth },
    );
  const submit = (payments: unknown[]) =>
    fetch(
      `${sandbox.urls.payoneer}/v4/programs/${sandbox.credentials.payoneer.programId}/masspayouts`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...payoneerAuth },
        body: JSON.stringify({ Payments: payments }),
      },
    );
  const payFirstOrder = async () => {
    const clarity = (path: string, body: unknown) =>
      fetch(`${sandbox.urls.clarity}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...clarityAuth },
        body: JSON.stringify(body),
      });
    const order = await readJson(
      await fetch(`${sandbox.urls.clarity}/Ordering/SalesOrders?StatusKey=Pending`, {
        headers: clarityAuth,
      }),
    );
    const first = order.Results[0] as {
      ID: number;
      BalanceDue: number;
      CurrencyKey: string;
      CustomKey: string;
    };
    const payment = await readJson(
      await clarity('/Payments/Payment/Create', {
        SalesOrderID: first.ID,
        Amount: first.BalanceDue,
      }),
    );
    expect(payment.ActionSucceeded).toBe(true);
    const account = await readJson(await fetch(`${sandbox.urls.control}/payoneer/account`));
    const received = account.receivedPayments.find(
      (transaction: { details: { payment_reference: string } }) =>
        transaction.details.payment_reference === payment.Result.TransactionNumber,
    );
    return { order: first, received };
  };

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      seed: 5,
      clock: { start: '2026-03-01T10:00:00Z', frozen: true },
      payoutSettleMs: 1_000,
      webhookRetry: { initialDelayMs: 20 },
    });
    receiver = await WebhookReceiver.start();
    const token = await readJson(
      await fetch(`${sandbox.urls.payoneer}/api/v2/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${sandbox.credentials.payoneer.clientId}&client_secret=${sandbox.credentials.payoneer.clientSecret}`,
      }),
    );
    payoneerAuth = { authorization: `Bearer ${token.access_token}` };
    clarityAuth = { authorization: `Bearer ${sandbox.credentials.clarity.apiKey}` };
    erpAuth = {
      authorization: `token ${sandbox.credentials.erp.apiKey}:${sandbox.credentials.erp.apiSecret}`,
    };
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await control('/scenarios/merchant', {
      customers: 2,
      vendors: 2,
      affiliates: 0,
      products: 3,
      orders: 4,
      paidRatio: 0,
      currencies: ['EUR'],
    });
  });

  describe('HTTP faults', () => {
    it('answers 429 with Retry-After in the system’s own error shape, then lets the next call through', async () => {
      await addFault({
        system: 'payoneer',
        route: 'GET /v4/programs/:programId/balance',
        kind: '429',
        count: 1,
        retryAfterSeconds: 7,
      });
      const limited = await balance();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect(await readJson(limited)).toMatchObject({
        error: 'Too Many Requests',
        error_details: { code: 429 },
      });
      expect((await balance()).status).toBe(200);
      const erp = await readJson(
        await control('/faults', { system: 'erp', kind: '429', count: 1 }),
      );
      const frappe = await fetch(`${sandbox.urls.erp}/api/resource/Account`, { headers: erpAuth });
      expect([frappe.status, await frappe.text(), frappe.headers.get('retry-after')]).toEqual([
        429,
        'Too Many Requests',
        '1',
      ]);
      const rules = (await readJson(await fetch(`${sandbox.urls.control}/faults`))).rules;
      expect(rules.find((rule: { id: string }) => rule.id === erp.id)).toMatchObject({
        fired: 1,
        remaining: 0,
      });
    });

    it('answers 500 in the system shape and 502 / 503 as a gateway HTML page', async () => {
      await addFault({ system: 'clarity', route: 'GET /Ordering/**', kind: '500', count: 1 });
      await addFault({ system: 'erp', route: '/api/resource/*', kind: '502', count: 1 });
      await addFault({ system: 'payoneer', kind: '503', count: 1, retryAfterSeconds: 2 });
      const clarity = await fetch(`${sandbox.urls.clarity}/Ordering/SalesOrders`, {
        headers: clarityAuth,
      });
      expect(clarity.status).toBe(500);
      expect((await readJson(clarity)).ResponseStatus.ErrorCode).toBe('Exception');
      const erp = await fetch(`${sandbox.urls.erp}/api/resource/Account`, { headers: erpAuth });
      expect(erp.status).toBe(502);
      expect(await erp.text()).toContain('502 Bad Gateway');
      const payoneer = await balance();
      expect([payoneer.status, payoneer.headers.get('retry-after')]).toEqual([503, '2']);
    });

    it('resets the connection so the client sees a network error, not a response', async () => {
      await addFault({ system: 'erp', kind: 'reset', count: 1 });
      await expect(
        fetch(`${sandbox.urls.erp}/api/resource/Account`, { headers: erpAuth }),
      ).rejects.toThrow();
      expect(
        (await fetch(`${sandbox.urls.erp}/api/resource/Account`, { headers: erpAuth })).status,
      ).toBe(200);
    });

    it('holds a timed-out request without answering until the client gives up', async () => {
      await addFault({ system: 'clarity', kind: 'timeout', count: 1, delayMs: 60_000 });
      await expect(
        fetch(`${sandbox.urls.clarity}/Ordering/SalesOrders`, {
          headers: clarityAuth,
          signal: AbortSignal.timeout(300),
        }),
      ).rejects.toThrow(/abort|timeout/i);
      expect(
        (await fetch(`${sandbox.urls.clarity}/Ordering/SalesOrders`, { headers: clarityAuth }))
          .status,
      ).toBe(200);
    });

    it('delays a slow response but still answers it', async () => {
      await addFault({ system: 'payoneer', kind: 'slow', count: 1, delayMs: 250 });
      const started = Date.now();
      const response = await balance();
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(240);
      const log = (await readJson(await fetch(`${sandbox.urls.control}/faults/log`))).injections;
      expect(log).toEqual([
        expect.objectContaining({
          kind: 'slow',
          system: 'payoneer',
          target: expect.stringContaining('/balance'),
        }),
      ]);
    });

    it('refuses a rule that cannot work, naming the field', async () => {
      const response = await control('/faults', { system: 'erp', kind: 'insufficient_funds' });
      expect(response.status).toBe(400);
      expect((await readJson(response)).message).toContain('applies to payoneer');
      const badRoute = await control('/faults', {
        system: 'payoneer',
        kind: '429',
        route: 'FETCH /x',
      });
      expect((await readJson(badRoute)).message).toContain('unknown HTTP method');
    });
  });

  describe('business faults', () => {
    it('insufficient_funds refuses a payout batch the balance could cover', async () => {
      await addFault({
        system: 'payoneer',
        route: 'POST /v4/programs/*/masspayouts',
        kind: 'insufficient_funds',
        count: 1,
      });
      const item = {
        client_reference_id: 'f-1',
        payee_id: 'VEND-0001',
        amount: 1,
        currency: 'USD',
        description: 'x',
      };
      const refused = await submit([item]);
      expect(refused.status).toBe(400);
      expect((await readJson(refused)).error_description).toBe('Insufficient funds');
      expect((await submit([item])).status).toBe(201);
    });

    it('invalid_payee cancels an item of an active payee with reason 10005', async () => {
      await addFault({ system: 'payoneer', kind: 'invalid_payee', count: 1 });
      await submit([
        {
          client_reference_id: 'f-2',
          payee_id: 'VEND-0001',
          amount: 1,
          currency: 'USD',
          description: 'x',
        },
        {
          client_reference_id: 'f-3',
          payee_id: 'VEND-0001',
          amount: 1,
          currency: 'USD',
          description: 'x',
        },
      ]);
      await control('/clock/advance', { seconds: 1 });
      const payouts = (await readJson(await fetch(`${sandbox.urls.control}/payouts`))).payouts;
      expect(
        payouts.map(
          (payout: { clientReferenceId: string; status: string; cancelReasonCode?: number }) => [
            payout.clientReferenceId,
            payout.status,
            payout.cancelReasonCode ?? null,
          ],
        ),
      ).toEqual([
        ['f-2', 'Cancelled', 10005],
        ['f-3', 'Transferred', null],
      ]);
    });

    it('amount_mismatch makes the received payment short of the order total', async () => {
      await addFault({
        system: 'payoneer',
        route: 'PaymentReceived',
        kind: 'amount_mismatch',
        count: 1,
      });
      const { order, received } = await payFirstOrder();
      expect(received.details.amount_charged_currency).toBe(order.CurrencyKey);
      expect(Number(received.details.amount_charged)).toBeLessThan(order.BalanceDue * 0.995);
      expect(Number(received.details.amount_charged)).toBeGreaterThanOrEqual(
        order.BalanceDue * 0.9 - 0.01,
      );
    });

    it('currency_mismatch makes the received payment arrive in another currency', async () => {
      await addFault({ system: 'payoneer', kind: 'currency_mismatch', count: 1 });
      const { order, received } = await payFirstOrder();
      expect(order.CurrencyKey).toBe('EUR');
      expect(received.details.amount_charged_currency).toBe('USD');
      expect(received.amount_currency).toBe('USD');
      const plain = await payFirstOrder();
      expect(plain.received.amount_currency).toBe('EUR');
    });
  });

  describe('webhook faults', () => {
    const orderEvents = async (count: number) => {
      const product = (
        await readJson(
          await fetch(`${sandbox.urls.clarity}/Products/Products`, { headers: clarityAuth }),
        )
      ).Results[0];
      const customer = (
        await readJson(
          await fetch(`${sandbox.urls.clarity}/Accounts/Accounts?TypeKey=Customer`, {
            headers: clarityAuth,
          }),
        )
      ).Results[0];
      const ids: number[] = [];
      for (let index = 0; index < count; index += 1) {
        const created = await readJson(
          await fetch(`${sandbox.urls.clarity}/Ordering/SalesOrder/Create`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...clarityAuth },
            body: JSON.stringify({
              AccountID: customer.ID,
              SalesItems: [{ ProductID: product.ID, Quantity: 1 }],
            }),
          }),
        );
        ids.push(created.Result.ID as number);
      }
      return ids;
    };

    it('duplicate_webhook delivers the same event twice', async () => {
      const path = `/dup-${Date.now()}`;
      await control('/webhooks', {
        system: 'clarity',
        url: `${receiver.url}${path}`,
        events: ['order.created'],
      });
      await addFault({
        system: 'clarity',
        route: 'order.created',
        kind: 'duplicate_webhook',
        count: 1,
      });
      const [id] = await orderEvents(1);
      const copies = await receiver.waitFor(2, (webhook) => webhook.url === path);
      expect(
        copies.map(
          (webhook) =>
            (JSON.parse(webhook.body) as { Data: { SalesOrder: { ID: number } } }).Data.SalesOrder
              .ID,
        ),
      ).toEqual([id, id]);
      expect(copies[0]!.headers['x-sandbox-event-id']).toBe(
        copies[1]!.headers['x-sandbox-event-id'],
      );
    });

    it('out_of_order_webhook delivers an event after the one that followed it', async () => {
      const path = `/order-${Date.now()}`;
      await control('/webhooks', {
        system: 'clarity',
        url: `${receiver.url}${path}`,
        events: ['order.created'],
      });
      await addFault({ system: 'clarity', kind: 'out_of_order_webhook', count: 1 });
      const ids = await orderEvents(2);
      const delivered = await receiver.waitFor(2, (webhook) => webhook.url === path);
      expect(
        delivered.map(
          (webhook) =>
            (JSON.parse(webhook.body) as { Data: { SalesOrder: { ID: number } } }).Data.SalesOrder
              .ID,
        ),
      ).toEqual([ids[1], ids[0]]);
    });
  });

  describe('determinism', () => {
    it('fires probability rules identically for the same seed', async () => {
      const pattern = async (seed: number) => {
        await control('/reset', { seed });
        await addFault({
          system: 'payoneer',
          route: 'GET /v4/programs/*/balance',
          kind: '500',
          probability: 0.5,
        });
        const statuses: number[] = [];
        for (let index = 0; index < 20; index += 1) statuses.push((await balance()).status);
        return statuses;
      };
      const first = await pattern(99);
      expect(await pattern(99)).toEqual(first);
      expect(first).toContain(500);
      expect(first).toContain(200);
      expect(await pattern(100)).not.toEqual(first);
    });
  });
});
