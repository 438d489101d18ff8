import { startSandbox, type SandboxHandle } from '../sandbox';
import { WebhookReceiver } from '../testing/webhook-receiver';
import { verifyPayoneerHmacAuthorization } from '../webhooks/payoneer-hmac-auth';
import { readJson } from '../testing/read-json';

describe('Payoneer simulator', () => {
  let sandbox: SandboxHandle;
  let receiver: WebhookReceiver;
  let bearer: Record<string, string>;
  let program: string;

  const basic = () =>
    `Basic ${Buffer.from(`${sandbox.credentials.payoneer.clientId}:${sandbox.credentials.payoneer.clientSecret}`).toString('base64')}`;
  const token = async (): Promise<string> => {
    const response = await fetch(`${sandbox.urls.payoneer}/api/v2/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=read%20write',
    });
    return ((await readJson(response)) as { access_token: string }).access_token;
  };
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${sandbox.urls.payoneer}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...bearer,
        ...(init.headers as Record<string, string>),
      },
    });
  const control = (path: string, body: unknown = {}) =>
    fetch(`${sandbox.urls.control}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const submit = (payments: unknown[]) =>
    api(`/v4/programs/${program}/masspayouts`, {
      method: 'POST',
      body: JSON.stringify({ Payments: payments }),
    });
  const status = async (reference: string) =>
    (await readJson(await api(`/v4/programs/${program}/payouts/${reference}/status`))).result as {
      status: string;
      payout_date: string;
      load_date: string;
      target_amount: number;
    };
  const balance = async () =>
    (await readJson(await api(`/v4/programs/${program}/balance`))).result.balance as number;

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      seed: 11,
      clock: { start: '2026-03-01T10:00:00Z', frozen: true },
      payoutSettleMs: 60_000,
      webhookRetry: { initialDelayMs: 20 },
    });
    receiver = await WebhookReceiver.start();
    program = sandbox.credentials.payoneer.programId;
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await control('/reset');
    await control('/payoneer/payees', {
      payeeId: 'VEND-1',
      payoutCurrency: 'EUR',
      payoutMethod: 'BANK',
    });
    await control('/payoneer/payees', { payeeId: 'AFF-1', status: 'INACTIVE' });
    bearer = { authorization: `Bearer ${await token()}` };
  });

  describe('OAuth2 client credentials', () => {
    it('issues a Bearer token with the documented fields, from Basic auth or body credentials, form or JSON', async () => {
      const viaBasic = await fetch(`${sandbox.urls.payoneer}/api/v2/oauth2/token`, {
        method: 'POST',
        headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=read%20write',
      });
      expect(viaBasic.status).toBe(200);
      expect(await readJson(viaBasic)).toMatchObject({
        token_type: 'Bearer',
        expires_in: 2592000,
        scope: 'read write',
        refresh_token: null,
        id_token: null,
        error: null,
      });

      const { clientId, clientSecret } = sandbox.credentials.payoneer;
      const viaJson = await fetch(`${sandbox.urls.payoneer}/api/v2/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }),
      });
      expect(viaJson.status).toBe(200);
      // Payoneer's own sample labels a form body as JSON.
      const mislabelled = await fetch(`${sandbox.urls.payoneer}/api/v2/oauth2/token`, {
        method: 'POST',
        headers: { authorization: basic(), 'content-type': 'application/json' },
        body: 'grant_type=client_credentials&scope=read write',
      });
      expect(mislabelled.status).toBe(200);
    });

    it('refuses bad client credentials with 401 invalid_client', async () => {
      const response = await fetch(`${sandbox.urls.payoneer}/api/v2/oauth2/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('someone:wrong').toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      expect(response.status).toBe(401);
      expect((await readJson(response)).error).toBe('invalid_client');
    });

    it('answers 401 with sub_code 4016 once the token has expired, and a fresh token works again', async () => {
      expect((await api(`/v4/programs/${program}/balance`)).status).toBe(200);
      await control('/clock/advance', { seconds: 2_592_000 });
      const expired = await api(`/v4/programs/${program}/balance`);
      expect(expired.status).toBe(401);
      expect(await readJson(expired)).toMatchObject({
        error: 'Unauthorized',
        error_description: 'Access token is invalid (expired)',
        error_details: { code: 401, sub_code: 4016 },
      });
      bearer = { authorization: `Bearer ${await token()}` };
      expect((await api(`/v4/programs/${program}/balance`)).status).toBe(200);
    });
  });

  describe('mass payouts', () => {
    it('accepts a batch, moves Pending → Transferred with FX to the payee currency as the clock advances', async () => {
      const before = await balance();
      const response = await submit([
        {
          client_reference_id: 'po-1',
          payee_id: 'VEND-1',
          amount: 100,
          currency: 'USD',
          description: 'Vendor balance',
        },
      ]);
      expect(response.status).toBe(201);
      expect(await readJson(response)).toEqual({ result: 'Payments Created' });
      expect(await status('po-1')).toMatchObject({
        status: 'Pending',
        amount: 100,
        currency: 'USD',
        payee_id: 'VEND-1',
      });
      expect(await balance()).toBe(before - 100);

      await control('/clock/advance', { seconds: 60 });
      const settled = await status('po-1');
      expect(settled).toMatchObject({ status: 'Transferred', target_currency: 'EUR' });
      expect(settled.target_amount).toBeCloseTo(100 / 1.085, 2);
      expect(Date.parse(settled.load_date) - Date.parse(settled.payout_date)).toBe(60_000);
    });

    it('never pays the same client_reference_id twice', async () => {
      const item = {
        client_reference_id: 'po-dup',
        payee_id: 'VEND-1',
        amount: '25.00',
        currency: 'USD',
        description: 'Commission',
      };
      expect((await submit([item])).status).toBe(201);
      const afterFirst = await balance();
      const again = await submit([item]);
      expect(again.status).toBe(400);
      expect(await readJson(again)).toMatchObject({
        error_description: 'Payout already exists',
        error_details: { code: 400, sub_code: 10304 },
      });
      expect(await balance()).toBe(afterFirst);
      const history = (await readJson(await fetch(`${sandbox.urls.control}/payouts`))).payouts;
      expect(
        history.filter(
          (payout: { clientReferenceId: string }) => payout.clientReferenceId === 'po-dup',
        ),
      ).toHaveLength(1);
    });

    it('rejects the whole batch when one item is invalid, naming the field', async () => {
      const response = await submit([
        {
          client_reference_id: 'ok-1',
          payee_id: 'VEND-1',
          amount: 10,
          currency: 'USD',
          description: 'fine',
        },
        { client_reference_id: 'bad-1', payee_id: 'VEND-1', amount: -5, currency: 'usd' },
      ]);
      expect(response.status).toBe(400);
      const body = await readJson(response);
      expect(body.error_details.sub_code).toBe(1000);
      expect(body.error_details.errors.map((error: { target: string }) => error.target)).toEqual([
        'Payments[1].description',
        'Payments[1].amount',
        'Payments[1].currency',
      ]);
      expect((await api(`/v4/programs/${program}/payouts/ok-1/status`)).status).toBe(404);
    });

    it('answers an unknown payout with 404 and code 2306', async () => {
      const response = await api(`/v4/programs/${program}/payouts/nope/status`);
      expect(response.status).toBe(404);
      expect((await readJson(response)).error_details).toEqual({ code: 2306, sub_code: 2306 });
    });

    it('cancels an inactive payee’s payout with reason 10009 and refunds the balance', async () => {
      const before = await balance();
      await submit([
        {
          client_reference_id: 'po-inactive',
          payee_id: 'AFF-1',
          amount: 30,
          currency: 'USD',
          description: 'Commission',
        },
      ]);
      await control('/clock/advance', { seconds: 60 });
      expect(await status('po-inactive')).toMatchObject({
        status: 'Cancelled',
        cancel_reason_code: 10009,
      });
      expect(await balance()).toBe(before);
    });

    it('cancels on request asynchronously, and refuses to cancel a transferred payout', async () => {
      await submit([
        {
          client_reference_id: 'po-c',
          payee_id: 'VEND-1',
          amount: 5,
          currency: 'USD',
          description: 'x',
        },
      ]);
      const cancel = await api(`/v4/programs/${program}/payouts/po-c/cancel`, { method: 'PUT' });
      expect((await readJson(cancel)).result.description).toContain('has not yet been performed');
      await control('/clock/advance', { ms: 0 });
      expect((await status('po-c')).status).toBe('Cancelled');

      await submit([
        {
          client_reference_id: 'po-t',
          payee_id: 'VEND-1',
          amount: 5,
          currency: 'USD',
          description: 'x',
        },
      ]);
      await control('/clock/advance', { seconds: 60 });
      expect(
        (await api(`/v4/programs/${program}/payouts/po-t/cancel`, { method: 'PUT' })).status,
      ).toBe(400);
    });

    it('refuses a batch the balance cannot cover, and accepts it once funded', async () => {
      await control('/payoneer/drain', { currency: 'USD' });
      const item = {
        client_reference_id: 'po-funds',
        payee_id: 'VEND-1',
        amount: 50,
        currency: 'USD',
        description: 'x',
      };
      const refused = await submit([item]);
      expect(refused.status).toBe(400);
      expect((await readJson(refused)).error_description).toBe('Insufficient funds');
      await control('/payoneer/fund', { currency: 'USD', amount: '50.00' });
      expect((await submit([item])).status).toBe(201);
    });
  });

  describe('payees, balances and received payments', () => {
    it('reports payee status ACTIVE / INACTIVE and 10005 for an unknown payee', async () => {
      const active = await readJson(await api(`/v4/programs/${program}/payees/VEND-1/status`));
      expect(active.result.status).toEqual({ type: 1, description: 'Active' });
      const inactive = await readJson(await api(`/v4/programs/${program}/payees/AFF-1/status`));
      expect(inactive.result.status.type).toBe(99);
      const missing = await api(`/v4/programs/${program}/payees/NOBODY/status`);
      expect(missing.status).toBe(404);
      expect((await readJson(missing)).error_details.sub_code).toBe(10005);
    });

    it('lists balances by currency with string amounts', async () => {
      const body = await readJson(
        await api(`/v4/accounts/${sandbox.credentials.payoneer.accountId}/balances`),
      );
      expect(
        body.result.items.map((item: { currency: string; available_balance: string }) => [
          item.currency,
          item.available_balance,
        ]),
      ).toEqual([
        ['USD', '100000.00'],
        ['EUR', '20000.00'],
        ['GBP', '10000.00'],
      ]);
    });

    it('shows received payments with fee, FX rate and reference, paged through result.transactions.next', async () => {
      await control('/payoneer/received-payments', {
        amount: '200.00',
        currency: 'CAD',
        paymentReference: 'PNR-1',
      });
      await control('/payoneer/received-payments', {
        amount: '100.00',
        currency: 'EUR',
        paymentReference: 'PNR-2',
      });
      const account = sandbox.credentials.payoneer.accountId;
      const first = await readJson(
        await api(`/v4/accounts/${account}/transactions?page_size=1&include_details=true`),
      );
      expect(first.result.transactions.total).toBe(2);
      expect(first.result.transactions.items[0]).toMatchObject({
        category_name: 'Incoming Payments',
        amount_currency: 'EUR',
        amount: 97.5,
        details: { fee: '2.50', transfer_fx_rate: '1', payment_reference: 'PNR-2' },
      });
      const next = await readJson(await api(first.result.transactions.next));
      expect(next.result.transactions.items[0]).toMatchObject({
        amount_currency: 'USD',
        details: {
          amount_charged: '200.00',
          amount_charged_currency: 'CAD',
          transfer_amount: '147.00',
          transfer_fx_rate: '0.735',
          fee: '3.68',
          payment_reference: 'PNR-1',
        },
      });
      expect(next.result.transactions.next).toBeNull();
    });

    it('posts notifications with a Payoneer hmacauth header that verifies with the shared secret', async () => {
      await control('/webhooks', {
        system: 'payoneer',
        url: `${receiver.url}/ipcn/accepted`,
        events: ['PaymentRequestAccepted'],
      });
      await control('/webhooks', {
        system: 'payoneer',
        url: `${receiver.url}/ipcn/bank`,
        events: ['SentToBank'],
      });
      await submit([
        {
          client_reference_id: 'po-n',
          payee_id: 'VEND-1',
          amount: 12,
          currency: 'USD',
          description: 'x',
        },
      ]);
      await control('/clock/advance', { seconds: 60 });
      const [accepted] = await receiver.waitFor(1, (webhook) => webhook.url === '/ipcn/accepted');
      const [sent] = await receiver.waitFor(1, (webhook) => webhook.url === '/ipcn/bank');
      expect(JSON.parse(accepted!.body)).toEqual({ 'Payee Id': 'VEND-1', IntPaymentId: 'po-n' });
      expect(JSON.parse(sent!.body)).toMatchObject({
        'Payee Id': 'VEND-1',
        IntPaymentId: 'po-n',
        Currency: 'EUR',
      });
      for (const webhook of [accepted!, sent!]) {
        const request = {
          secret: sandbox.webhookSecret,
          method: 'POST',
          url: `${receiver.url}${webhook.url}`,
          body: webhook.body,
        };
        expect(verifyPayoneerHmacAuthorization(webhook.headers.authorization, request)).toBe(true);
        expect(
          verifyPayoneerHmacAuthorization(webhook.headers.authorization, {
            ...request,
            body: `${webhook.body} `,
          }),
        ).toBe(false);
      }
    });
  });
});
