import { startSandbox, type SandboxHandle } from '../sandbox';
import { WebhookReceiver } from '../testing/webhook-receiver';
import { SANDBOX_SIGNATURE_HEADER, verifySandboxSignature } from '../webhooks/webhook-signature';
import { readJson } from '../testing/read-json';

describe('Clarity eCommerce simulator', () => {
  let sandbox: SandboxHandle;
  let receiver: WebhookReceiver;
  let apiKeyAuth: Record<string, string>;

  const clarity = (path: string, init: RequestInit = {}) =>
    fetch(`${sandbox.urls.clarity}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...apiKeyAuth,
        ...(init.headers as Record<string, string>),
      },
    });
  const control = (path: string, body: unknown = {}) =>
    fetch(`${sandbox.urls.control}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      seed: 7,
      clock: { start: '2026-03-01T10:00:00Z', frozen: true },
      claritySessionTtlSeconds: 60,
    });
    receiver = await WebhookReceiver.start();
    apiKeyAuth = { authorization: `Bearer ${sandbox.credentials.clarity.apiKey}` };
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });
  beforeEach(async () => {
    const seeded = await control('/scenarios/merchant', {
      customers: 3,
      vendors: 1,
      affiliates: 1,
      products: 4,
      orders: 0,
    });
    expect(seeded.status).toBe(200);
  });

  describe('authentication', () => {
    it('refuses an anonymous request with ServiceStack 401', async () => {
      const response = await fetch(`${sandbox.urls.clarity}/Ordering/SalesOrders`);
      expect(response.status).toBe(401);
      expect(await readJson(response)).toEqual({
        ResponseStatus: { ErrorCode: 'Unauthorized', Message: 'Not Authenticated', Errors: [] },
      });
    });

    it('logs in with credentials, uses the ss-id cookie, and answers 401 once the session expires', async () => {
      const login = await fetch(`${sandbox.urls.clarity}/auth/credentials`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          UserName: sandbox.credentials.clarity.username,
          Password: sandbox.credentials.clarity.password,
        }),
      });
      expect(login.status).toBe(200);
      const session = (await readJson(login)) as { SessionId: string };
      const cookies = login.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
      expect(cookies).toEqual(
        expect.arrayContaining([`ss-id=${session.SessionId}`, expect.stringMatching(/^ss-pid=/)]),
      );
      const cookie = cookies.join('; ');

      expect(
        (await fetch(`${sandbox.urls.clarity}/Ordering/SalesOrders`, { headers: { cookie } }))
          .status,
      ).toBe(200);
      await control('/clock/advance', { seconds: 61 });
      const expired = await fetch(`${sandbox.urls.clarity}/Ordering/SalesOrders`, {
        headers: { cookie },
      });
      expect(expired.status).toBe(401);
    });

    it('refuses a wrong password with 401 and accepts Basic user:password', async () => {
      const bad = await fetch(`${sandbox.urls.clarity}/auth/credentials`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ UserName: sandbox.credentials.clarity.username, Password: 'wrong' }),
      });
      expect(bad.status).toBe(401);
      const basic = Buffer.from(
        `${sandbox.credentials.clarity.username}:${sandbox.credentials.clarity.password}`,
      ).toString('base64');
      expect(
        (
          await fetch(`${sandbox.urls.clarity}/Ordering/SalesOrders`, {
            headers: { authorization: `Basic ${basic}` },
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await fetch(`${sandbox.urls.clarity}/Ordering/SalesOrders`, {
            headers: { authorization: 'Bearer not-the-key' },
          })
        ).status,
      ).toBe(401);
    });
  });

  describe('sales orders', () => {
    const customerAndProduct = async () => {
      const accounts = (await readJson(await clarity('/Accounts/Accounts?TypeKey=Customer'))) as {
        Results: Array<{ ID: number }>;
      };
      const products = (await readJson(await clarity('/Products/Products'))) as {
        Results: Array<{ ID: number }>;
      };
      return { customerId: accounts.Results[0]!.ID, productId: products.Results[0]!.ID };
    };

    it('creates an order and returns it in the {ActionSucceeded, Messages, Result} envelope with PascalCase fields', async () => {
      const { customerId, productId } = await customerAndProduct();
      const response = await clarity('/Ordering/SalesOrder/Create', {
        method: 'POST',
        body: JSON.stringify({
          AccountID: customerId,
          CurrencyKey: 'EUR',
          SalesItems: [{ ProductID: productId, Quantity: 2, UnitSoldPrice: 10.5 }],
          Totals: { Shipping: 4, Tax: '1.25' },
        }),
      });
      expect(response.status).toBe(200);
      const body = await readJson(response);
      expect(body.ActionSucceeded).toBe(true);
      expect(body.Messages).toEqual([]);
      expect(body.Result).toMatchObject({
        StatusKey: 'Pending',
        CurrencyKey: 'EUR',
        AccountID: customerId,
        Totals: {
          SubTotal: 21,
          Shipping: 4,
          Handling: 0,
          Fees: 0,
          Discounts: 0,
          Tax: 1.25,
          Total: 26.25,
        },
        BalanceDue: 26.25,
      });
      const byKey = await readJson(
        await clarity(`/Ordering/SalesOrder/Key/${body.Result.CustomKey}`),
      );
      expect(byKey.ID).toBe(body.Result.ID);
    });

    it('answers a business failure as HTTP 200 with ActionSucceeded false and a message naming the problem', async () => {
      const response = await clarity('/Ordering/SalesOrder/Create', {
        method: 'POST',
        body: JSON.stringify({ AccountID: 999999, SalesItems: [] }),
      });
      expect(response.status).toBe(200);
      const body = await readJson(response);
      expect(body.ActionSucceeded).toBe(false);
      expect(body.Result).toBeNull();
      expect(body.Messages).toEqual(
        expect.arrayContaining([
          'Account 999999 was not found',
          'SalesItems must contain at least one item',
        ]),
      );
    });

    it('answers 404 for an unknown order id', async () => {
      const response = await clarity('/Ordering/SalesOrder/ID/424242');
      expect(response.status).toBe(404);
      expect((await readJson(response)).ResponseStatus.ErrorCode).toBe('NotFound');
    });

    it('pages with Paging.StartIndex / Paging.Size and filters with ModifiedSince', async () => {
      const { customerId, productId } = await customerAndProduct();
      for (let index = 0; index < 5; index += 1) {
        await clarity('/Ordering/SalesOrder/Create', {
          method: 'POST',
          body: JSON.stringify({
            AccountID: customerId,
            SalesItems: [{ ProductID: productId, Quantity: 1 }],
          }),
        });
      }
      const page2 = await readJson(
        await clarity('/Ordering/SalesOrders?Paging.StartIndex=2&Paging.Size=2'),
      );
      expect(page2).toMatchObject({
        TotalCount: 5,
        TotalPages: 3,
        CurrentPage: 2,
        CurrentCount: 2,
      });
      expect(page2.Results.map((order: { ID: number }) => order.ID)).toEqual([3, 4]);

      await control('/clock/advance', { seconds: 30 });
      const cursor = (await readJson(await fetch(`${sandbox.urls.control}/clock`))).now as string;
      await clarity('/Ordering/SalesOrder/Update', {
        method: 'PUT',
        body: JSON.stringify({ ID: 2, StatusKey: 'Confirmed' }),
      });
      const changed = await readJson(
        await clarity(`/Ordering/SalesOrders?ModifiedSince=${encodeURIComponent(cursor)}`),
      );
      expect(
        changed.Results.map((order: { ID: number; StatusKey: string }) => [
          order.ID,
          order.StatusKey,
        ]),
      ).toEqual([[2, 'Confirmed']]);

      const invalid = await clarity('/Ordering/SalesOrders?ModifiedSince=yesterday');
      expect(invalid.status).toBe(400);
      expect((await readJson(invalid)).ResponseStatus.Errors[0].FieldName).toBe('ModifiedSince');
    });

    it('sets the custom Reconciled status, refuses unknown statuses, and a payment moves the order to Full Payment Received', async () => {
      const { customerId, productId } = await customerAndProduct();
      const created = await readJson(
        await clarity('/Ordering/SalesOrder/Create', {
          method: 'POST',
          body: JSON.stringify({
            AccountID: customerId,
            CurrencyKey: 'USD',
            SalesItems: [{ ProductID: productId, Quantity: 1, UnitSoldPrice: 40 }],
          }),
        }),
      );
      const id = created.Result.ID as number;
      const payment = await readJson(
        await clarity('/Payments/Payment/Create', {
          method: 'POST',
          body: JSON.stringify({ SalesOrderID: id, Amount: 40 }),
        }),
      );
      expect(payment.ActionSucceeded).toBe(true);
      expect((await readJson(await clarity(`/Ordering/SalesOrder/ID/${id}`))).StatusKey).toBe(
        'Full Payment Received',
      );

      const overpay = await readJson(
        await clarity('/Payments/Payment/Create', {
          method: 'POST',
          body: JSON.stringify({ SalesOrderID: id, Amount: 1 }),
        }),
      );
      expect(overpay.ActionSucceeded).toBe(false);

      const unknown = await readJson(
        await clarity('/Ordering/SalesOrder/Update', {
          method: 'PUT',
          body: JSON.stringify({ ID: id, StatusKey: 'Lost' }),
        }),
      );
      expect(unknown.ActionSucceeded).toBe(false);
      expect(unknown.Messages[0]).toContain("StatusKey 'Lost'");

      const reconciled = await readJson(
        await clarity('/Ordering/SalesOrder/Update', {
          method: 'PUT',
          body: JSON.stringify({ ID: id, StatusKey: 'reconciled' }),
        }),
      );
      expect(reconciled.Result.StatusKey).toBe('Reconciled');
    });
  });

  describe('accounts', () => {
    it('lists vendors and affiliates with what the merchant owes them', async () => {
      const { ID: customerId } = (
        await readJson(await clarity('/Accounts/Accounts?TypeKey=Customer'))
      ).Results[0];
      const affiliate = (await readJson(await clarity('/Accounts/Accounts?TypeKey=Affiliate')))
        .Results[0];
      const product = (await readJson(await clarity('/Products/Products'))).Results[0];
      await clarity('/Ordering/SalesOrder/Create', {
        method: 'POST',
        body: JSON.stringify({
          AccountID: customerId,
          CurrencyKey: affiliate.CurrencyKey,
          AffiliateAccountID: affiliate.ID,
          SalesItems: [{ ProductID: product.ID, Quantity: 1, UnitSoldPrice: 200 }],
        }),
      });
      const updated = await readJson(await clarity(`/Accounts/Account/ID/${affiliate.ID}`));
      expect(updated.BalanceOwed).toBe(20);
      const commissions = await readJson(
        await clarity(`/Accounts/Commissions?AccountID=${affiliate.ID}&StatusKey=Unpaid`),
      );
      expect(commissions.Results).toHaveLength(1);
      const paid = await readJson(
        await clarity('/Accounts/Commission/Update', {
          method: 'PUT',
          body: JSON.stringify({
            ID: commissions.Results[0].ID,
            StatusKey: 'Paid',
            PaymentReference: 'payout-1',
          }),
        }),
      );
      expect(paid.Result.StatusKey).toBe('Paid');
      expect(
        (await readJson(await clarity(`/Accounts/Account/ID/${affiliate.ID}`))).BalanceOwed,
      ).toBe(0);
    });
  });

  describe('webhook publisher', () => {
    it('posts order.created and order.status_changed signed with the shared secret, retrying a failed delivery', async () => {
      const subscribed = await control('/webhooks', {
        system: 'clarity',
        url: `${receiver.url}/clarity`,
      });
      expect(subscribed.status).toBe(201);
      receiver.respondWith(503);
      const { ID: customerId } = (
        await readJson(await clarity('/Accounts/Accounts?TypeKey=Customer'))
      ).Results[0];
      const product = (await readJson(await clarity('/Products/Products'))).Results[0];
      const created = await readJson(
        await clarity('/Ordering/SalesOrder/Create', {
          method: 'POST',
          body: JSON.stringify({
            AccountID: customerId,
            SalesItems: [{ ProductID: product.ID, Quantity: 1 }],
          }),
        }),
      );
      await clarity('/Ordering/SalesOrder/Update', {
        method: 'PUT',
        body: JSON.stringify({ ID: created.Result.ID, StatusKey: 'On Hold' }),
      });

      const orderCreated = await receiver.waitFor(
        2,
        (webhook) => webhook.headers['x-sandbox-event'] === 'order.created',
      );
      const statusChanged = await receiver.waitFor(
        1,
        (webhook) => webhook.headers['x-sandbox-event'] === 'order.status_changed',
      );
      // The first attempt got a 503; the retry carries the same event.
      expect(orderCreated[0]!.headers['x-sandbox-event-id']).toBe(
        orderCreated[1]!.headers['x-sandbox-event-id'],
      );
      const event = JSON.parse(orderCreated[1]!.body);
      expect(event).toMatchObject({
        EventType: 'order.created',
        Data: { SalesOrder: { ID: created.Result.ID, StatusKey: 'Pending' } },
      });
      expect(JSON.parse(statusChanged[0]!.body).Data).toMatchObject({
        PreviousStatusKey: 'Pending',
        SalesOrder: { StatusKey: 'On Hold' },
      });

      for (const webhook of [...orderCreated, ...statusChanged]) {
        const signature = webhook.headers[SANDBOX_SIGNATURE_HEADER] as string;
        expect(verifySandboxSignature(sandbox.webhookSecret, signature, webhook.body)).toBe(true);
        expect(verifySandboxSignature('another-secret', signature, webhook.body)).toBe(false);
        expect(verifySandboxSignature(sandbox.webhookSecret, signature, `${webhook.body} `)).toBe(
          false,
        );
      }
      const deliveries = await readJson(
        await fetch(`${sandbox.urls.control}/webhooks/deliveries?event=order.created`),
      );
      expect(
        deliveries.deliveries[0].attempts.map((attempt: { status: number }) => attempt.status),
      ).toEqual([503, 200]);
    });
  });
});
