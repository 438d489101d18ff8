import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

import {
  type ConnectorError,
  type ConnectorInstance,
  createConnectorInstance,
  staticSecrets,
} from '@switchboard/connector-sdk';

import { type SandboxHandle, startSandbox } from '../../../apps/sandbox/src';
import clarity from '../clarity.connector';

interface ReceivedEvent {
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

let sandbox: SandboxHandle;
let connector: ConnectorInstance;
let receiver: Server;
let receiverUrl: string;
const deliveries: ReceivedEvent[] = [];

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

const open = (settings: Record<string, unknown> = {}, secrets: Record<string, string> = {}) =>
  createConnectorInstance(clarity, {
    baseUrl: sandbox.urls.clarity,
    settings,
    secrets: staticSecrets({
      username: sandbox.credentials.clarity.username,
      password: sandbox.credentials.clarity.password,
      apiKey: sandbox.credentials.clarity.apiKey,
      webhookSecret: sandbox.webhookSecret,
      ...secrets,
    }),
    http: { timeoutMs: 1_000, retry: { initialDelayMs: 10, maxDelayMs: 50 } },
  });

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 13 });
  await control('POST', '/scenarios/merchant', {
    customers: 3,
    vendors: 2,
    affiliates: 2,
    orders: 6,
    paidRatio: 0.5,
  });
  connector = open();
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({
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

describe('clarity connector against the sandbox', () => {
  it('logs in again when the session expired and carries on', async () => {
    await connector.invoke('listSalesOrders', { pageSize: 1 });
    await control('POST', '/auth/expire', { system: 'clarity' });
    await expect(connector.invoke('listSalesOrders', { pageSize: 1 })).resolves.toMatchObject({
      page: 1,
    });
  });

  it('works from the store URL with an API flavour', async () => {
    const fromStore = createConnectorInstance(clarity, {
      baseUrl: `${sandbox.url}/clarity`,
      settings: { apiFlavour: 'API-Admin' },
      secrets: staticSecrets(sandbox.credentials.clarity),
    });
    await expect(fromStore.invoke('getSalesOrder', { id: 1 })).resolves.toMatchObject({ ID: 1 });
    await fromStore.close();
  });

  it('works with an API key instead of a session, and refuses a wrong one as config', async () => {
    const withKey = open({ authMode: 'apiKey' });
    await expect(withKey.invoke('getSalesOrder', { id: 1 })).resolves.toMatchObject({ ID: 1 });
    const wrongKey = open({ authMode: 'apiKey' }, { apiKey: 'not-the-key' });
    await expect(failureOf(wrongKey.invoke('getSalesOrder', { id: 1 }))).resolves.toMatchObject({
      failureType: 'config',
      status: 401,
    });
    await Promise.all([withKey.close(), wrongKey.close()]);
  });

  it('sets an order Reconciled, and reads it back', async () => {
    await expect(
      connector.invoke('updateOrderStatus', { orderId: 2, statusKey: 'Reconciled' }),
    ).resolves.toMatchObject({ ID: 2, StatusKey: 'Reconciled' });
    await expect(connector.invoke('getSalesOrder', { id: 2 })).resolves.toMatchObject({
      StatusKey: 'Reconciled',
    });
  });

  it("turns ActionSucceeded:false into a business failure carrying Clarity's messages", async () => {
    const failure = await failureOf(
      connector.invoke('updateOrderStatus', { orderId: 999_999, statusKey: 'Shipped' }),
    );
    expect(failure).toMatchObject({ failureType: 'business', code: 'ACTION_FAILED' });
    expect(failure.message).toContain('SalesOrder with ID 999999 was not found');
    expect(failure.details).toEqual({ messages: ['SalesOrder with ID 999999 was not found'] });
  });

  it('reports an unknown order as business NOT_FOUND', async () => {
    await expect(
      failureOf(connector.invoke('getSalesOrder', { id: 999_999 })),
    ).resolves.toMatchObject({
      failureType: 'business',
      code: 'NOT_FOUND',
    });
  });

  it('polls modified orders page by page from its cursor, then only what changed', async () => {
    const small = open({ pageSize: 2, pollMaxPages: 1, pollLookbackDays: 3650 });
    const seen = new Set<number>();
    let cursor: string | undefined;
    for (let poll = 0; poll < 10; poll += 1) {
      const result = await small.poll('listModifiedOrders', cursor);
      for (const event of result.events) seen.add((event.payload as { ID: number }).ID);
      if (result.nextCursor === undefined) break;
      cursor = result.nextCursor;
    }
    const { totalCount } = (await connector.invoke('listSalesOrders', {})) as {
      totalCount: number;
    };
    expect(seen.size).toBe(totalCount);
    await control('POST', '/clock/advance', { seconds: 2 });
    await connector.invoke('updateOrderStatus', { orderId: 3, statusKey: 'Processing' });
    const after = await small.poll('listModifiedOrders', cursor);
    expect(
      after.events.map((event) => [event.event, (event.payload as { ID: number }).ID]),
    ).toEqual([['order.modified', 3]]);
    expect(after.nextCursor).toBeDefined();
    await small.close();
  });

  it('accepts the signed status-changed event the store publishes', async () => {
    await control('POST', '/webhooks', {
      system: 'clarity',
      url: `${receiverUrl}/hooks/clarity/order.status_changed`,
      events: ['order.status_changed'],
    });
    await connector.invoke('updateOrderStatus', { orderId: 4, statusKey: 'On Hold' });
    let delivery: ReceivedEvent | undefined;
    for (let wait = 0; wait < 100 && delivery === undefined; wait += 1) {
      delivery = deliveries.find((d) => d.rawBody.toString().includes('"On Hold"'));
      if (delivery === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const request = {
      method: 'POST',
      url: delivery!.url,
      headers: delivery!.headers,
      rawBody: delivery!.rawBody,
    };
    await expect(connector.receiveWebhook('orderEvents', request)).resolves.toMatchObject({
      accepted: true,
      events: [
        {
          event: 'order.status_changed',
          payload: {
            EventType: 'order.status_changed',
            Data: { SalesOrder: { ID: 4, StatusKey: 'On Hold' } },
          },
        },
      ],
    });
    await expect(connector.receiveWebhook('orderEvents', request)).resolves.toMatchObject({
      accepted: false,
      reason: 'replayed',
    });
  });

  it('waits out a 429 with Retry-After, a 503 and a timeout; gives up on a lasting 5xx as transient', async () => {
    const route = 'GET /Ordering/SalesOrders';
    for (const fault of [
      { kind: '429', retryAfterSeconds: 1 },
      { kind: '503' },
      { kind: 'timeout', delayMs: 3_000 },
    ]) {
      await control('POST', '/faults', { system: 'clarity', route, count: 1, ...fault });
      await expect(connector.invoke('listSalesOrders', { pageSize: 1 })).resolves.toMatchObject({
        page: 1,
      });
    }
    const { injections } = await control('GET', '/faults/log');
    expect(injections.map((injection: { kind: string }) => injection.kind)).toEqual([
      '429',
      '503',
      'timeout',
    ]);
    await control('POST', '/faults', { system: 'clarity', route, kind: '500', count: 10 });
    await expect(failureOf(connector.invoke('listSalesOrders', {}))).resolves.toMatchObject({
      failureType: 'transient',
    });
  });

  it('answers what a vendor is owed with the unpaid records behind it', async () => {
    const balance = (await connector.invoke('getAccountBalance', { key: 'VEND-0001' })) as {
      typeKey: string;
      balanceOwed: string;
      unpaid: { StatusKey: string; AccountID: number }[];
    };
    expect(balance).toMatchObject({ typeKey: 'Vendor', accountKey: 'VEND-0001' });
    expect(balance.unpaid.every((record) => record.StatusKey === 'Unpaid')).toBe(true);
    const { accounts } = (await connector.invoke('listAccounts', { typeKey: 'Affiliate' })) as {
      accounts: { TypeKey: string }[];
    };
    expect(accounts.length).toBeGreaterThan(0);
    expect(accounts.every((account) => account.TypeKey === 'Affiliate')).toBe(true);
  });
});
