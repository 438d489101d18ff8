import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

import {
  type ConnectorError,
  type ConnectorInstance,
  createConnectorInstance,
  staticSecrets,
} from '@switchboard/connector-sdk';

import { type SandboxHandle, startSandbox } from '../../../apps/sandbox/src';
import payoneer from '../payoneer.connector';

/** A notification as the receiver got it from the sandbox. */
interface ReceivedNotification {
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

let sandbox: SandboxHandle;
let connector: ConnectorInstance;
let receiver: Server;
let receiverUrl: string;
const notifications: ReceivedNotification[] = [];

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sandbox.urls.control}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
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

/** Resolves once a notification whose body contains `text` arrived. */
async function notificationContaining(text: string): Promise<ReceivedNotification> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const found = notifications.find((n) => n.rawBody.toString().includes(text));
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no notification containing ${text} arrived`);
}

const payout = (clientReferenceId: string, payeeId = 'VEND-0001', amount = '10.00') => ({
  clientReferenceId,
  payeeId,
  amount,
  currency: 'USD',
  description: `payout ${clientReferenceId}`,
});

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 5, clock: { start: new Date(), frozen: true } });
  await control('POST', '/scenarios/merchant', {
    customers: 2,
    vendors: 2,
    affiliates: 1,
    orders: 2,
    paidRatio: 1,
  });
  connector = createConnectorInstance(payoneer, {
    baseUrl: sandbox.urls.payoneer,
    settings: {
      programId: sandbox.credentials.payoneer.programId,
      accountId: sandbox.credentials.payoneer.accountId,
    },
    secrets: staticSecrets({
      clientId: sandbox.credentials.payoneer.clientId,
      clientSecret: sandbox.credentials.payoneer.clientSecret,
      webhookSecret: sandbox.webhookSecret,
    }),
    http: { timeoutMs: 1_000, retry: { initialDelayMs: 10, maxDelayMs: 50 } },
  });
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      notifications.push({
        url: request.url ?? '/',
        headers: request.headers,
        rawBody: Buffer.concat(chunks),
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await connector.close();
  await new Promise((resolve) => receiver.close(resolve));
  await sandbox.close();
});
afterEach(async () => {
  await control('DELETE', '/faults');
});

describe('payoneer connector against the sandbox', () => {
  it('submits a batch once: a repeat reports the references Payoneer already has', async () => {
    const batch = { payouts: [payout('po-idem-1'), payout('po-idem-2')] };
    await expect(connector.invoke('submitPayouts', batch)).resolves.toMatchObject({
      accepted: ['po-idem-1', 'po-idem-2'],
      alreadySubmitted: [],
    });
    const repeat = { payouts: [payout('po-idem-2'), payout('po-idem-3')] };
    await expect(connector.invoke('submitPayouts', repeat)).resolves.toMatchObject({
      accepted: ['po-idem-3'],
      alreadySubmitted: ['po-idem-2'],
    });
    const { payouts } = await control('GET', '/payouts');
    const refs = payouts.map((p: any) => p.clientReferenceId ?? p.client_reference_id);
    expect(refs.filter((ref: string) => ref === 'po-idem-2')).toHaveLength(1);
  });

  it('refuses a batch the balance cannot cover as INSUFFICIENT_FUNDS, then sends it once funded', async () => {
    await control('POST', '/payoneer/drain', { currency: 'USD' });
    const batch = { payouts: [payout('po-funds-1', 'VEND-0001', '50.00')] };
    const failure = await failureOf(connector.invoke('submitPayouts', batch));
    expect(failure).toMatchObject({
      failureType: 'business',
      code: 'INSUFFICIENT_FUNDS',
      status: 400,
    });
    expect(failure.message).toContain('Insufficient funds');
    await control('POST', '/payoneer/fund', { currency: 'USD', amount: '1000.00' });
    await expect(connector.invoke('submitPayouts', batch)).resolves.toMatchObject({
      accepted: ['po-funds-1'],
    });
  });

  it('reports an unknown payee as PAYEE_NOT_FOUND and its payout as failed with that reason', async () => {
    await expect(
      failureOf(connector.invoke('getPayeeStatus', { payeeId: 'NOBODY' })),
    ).resolves.toMatchObject({
      failureType: 'business',
      code: 'PAYEE_NOT_FOUND',
    });
    await connector.invoke('submitPayouts', { payouts: [payout('po-nobody', 'NOBODY')] });
    await control('POST', '/clock/advance', { seconds: 10 });
    await expect(
      connector.invoke('getPayoutStatus', { clientReferenceId: 'po-nobody' }),
    ).resolves.toMatchObject({
      status: 'Cancelled',
      canonicalStatus: 'failed',
      reasonCode: '10005',
      failureCode: 'PAYEE_NOT_FOUND',
    });
  });

  it('tells an inactive payee apart and marks its payout PAYEE_INACTIVE', async () => {
    await control('POST', '/payoneer/payees', { payeeId: 'VEND-GONE', status: 'INACTIVE' });
    await expect(
      connector.invoke('getPayeeStatus', { payeeId: 'VEND-GONE' }),
    ).resolves.toMatchObject({
      status: 'INACTIVE',
      payable: false,
    });
    await connector.invoke('submitPayouts', { payouts: [payout('po-gone', 'VEND-GONE')] });
    await control('POST', '/clock/advance', { seconds: 10 });
    await expect(
      connector.invoke('getPayoutStatus', { clientReferenceId: 'po-gone' }),
    ).resolves.toMatchObject({ canonicalStatus: 'failed', failureCode: 'PAYEE_INACTIVE' });
  });

  it('renews an expired token and carries on', async () => {
    await connector.invoke('getBalance', {});
    await control('POST', '/auth/expire', { system: 'payoneer' });
    await expect(connector.invoke('getBalance', {})).resolves.toMatchObject({ currency: 'USD' });
  });

  it('waits out a 429 with Retry-After, a 503 and a timeout, then answers', async () => {
    const route = 'GET /v4/programs/:programId/balance';
    for (const fault of [
      { kind: '429', retryAfterSeconds: 1 },
      { kind: '503' },
      { kind: 'timeout', delayMs: 3_000 },
    ]) {
      await control('POST', '/faults', { system: 'payoneer', route, count: 1, ...fault });
      await expect(connector.invoke('getBalance', {})).resolves.toMatchObject({ currency: 'USD' });
    }
    const { injections } = await control('GET', '/faults/log');
    expect(injections.map((injection: { kind: string }) => injection.kind)).toEqual([
      '429',
      '503',
      'timeout',
    ]);
  });

  it('gives up on a lasting 5xx as transient and on a long Retry-After as rate_limited', async () => {
    await control('POST', '/faults', {
      system: 'payoneer',
      route: 'GET /v4/**',
      kind: '500',
      count: 10,
    });
    await expect(failureOf(connector.invoke('getBalance', {}))).resolves.toMatchObject({
      failureType: 'transient',
    });
    await control('DELETE', '/faults');
    await control('POST', '/faults', {
      system: 'payoneer',
      route: 'GET /v4/**',
      kind: '429',
      count: 1,
      retryAfterSeconds: 120,
    });
    await expect(failureOf(connector.invoke('getBalance', {}))).resolves.toMatchObject({
      failureType: 'rate_limited',
      retryAfterMs: 120_000,
    });
  });

  it('turns the real signed notifications of a payout into status events', async () => {
    await control('POST', '/webhooks', {
      system: 'payoneer',
      url: `${receiverUrl}/hooks/payoneer/payout.status_updated`,
      events: ['PaymentRequestAccepted', 'SentToBank', 'AccountCardLoaded', 'CancelPayout'],
    });
    await connector.invoke('submitPayouts', { payouts: [payout('po-hook-1', 'VEND-0002')] });
    await control('POST', '/clock/advance', { seconds: 10 });
    const transferred = await notificationContaining('"Transaction Date"');
    const outcome = await connector.receiveWebhook('payoutNotifications', {
      method: 'POST',
      url: transferred.url,
      headers: transferred.headers,
      rawBody: transferred.rawBody,
    });
    expect(outcome).toMatchObject({
      accepted: true,
      events: [
        {
          event: 'payout.status_updated',
          id: 'payout:po-hook-1:SentToBank',
          payload: { IntPaymentId: 'po-hook-1', 'Payee Id': 'VEND-0002', EventType: 'SentToBank' },
        },
      ],
    });
    // The same delivery again is a replay.
    await expect(
      connector.receiveWebhook('payoutNotifications', {
        method: 'POST',
        url: transferred.url,
        headers: transferred.headers,
        rawBody: transferred.rawBody,
      }),
    ).resolves.toMatchObject({ accepted: false, reason: 'replayed' });
  });

  it('reads received payments with their fee, by webhook and by polling from a cursor', async () => {
    await control('POST', '/webhooks', {
      system: 'payoneer',
      url: `${receiverUrl}/hooks/payoneer/payment.received`,
      events: ['PaymentReceived'],
    });
    const first = await connector.poll('receivedPayments', undefined);
    await control('POST', '/clock/advance', { seconds: 5 });
    await control('POST', '/payoneer/received-payments', {
      amount: '200.00',
      currency: 'USD',
      paymentReference: 'CLR-TX-777',
    });
    const delivery = await notificationContaining('CLR-TX-777');
    const outcome = await connector.receiveWebhook('paymentReceived', {
      method: 'POST',
      url: delivery.url,
      headers: delivery.headers,
      rawBody: delivery.rawBody,
    });
    expect(outcome).toMatchObject({
      accepted: true,
      events: [
        {
          event: 'payment.received',
          payload: {
            'Payment Reference': 'CLR-TX-777',
            'Fee Amount': '5.00',
            'Net Amount': '195.00',
          },
        },
      ],
    });
    const next = await connector.poll('receivedPayments', first.nextCursor);
    const polled = next.events.find(
      (event) => (event.payload as any).details?.payment_reference === 'CLR-TX-777',
    );
    expect(polled).toMatchObject({
      id: outcome.accepted ? outcome.events[0]!.id : 'webhook refused',
      payload: { amount_currency: 'USD', details: { fee: '5.00' } },
    });
    await expect(connector.invoke('listReceivedPayments', {})).resolves.toMatchObject({
      payments: expect.arrayContaining([
        expect.objectContaining({
          paymentReference: 'CLR-TX-777',
          amount: '195.00',
          feeAmount: '5.00',
          currency: 'USD',
        }),
      ]),
    });
    expect(next.nextCursor).toBeDefined();
  });
});
