import { noAuth } from '../auth/no-auth.strategy';
import { staticSecrets } from '../auth/secret-resolver';
import { defineAction } from '../define/define-action';
import { type ConnectorDefinition, defineConnector } from '../define/define-connector';
import { defineTrigger } from '../define/define-trigger';
import { ConnectorError } from '../errors/connector-error';
import { HttpStatusError } from '../http/http-status-error';
import { type LocalServer, sendJson, startLocalServer } from '../test-support/local-server';
import { signWebhookPayload, verifyHmacSignature } from '../webhook/hmac-signature';
import { type ConnectorInstance, createConnectorInstance } from './connector-instance';

const WEBHOOK_SECRET = 'whsec-instance-test';

/** A Clarity-like connector: orders over HTTP, a signed order webhook, Payoneer-style form IPCN, a poll. */
function clarityLike(): ConnectorDefinition {
  return defineConnector({
    id: 'clarity-like',
    version: '1.0.0',
    sdkVersion: '^1.0.0',
    auth: noAuth(),
    settings: {
      type: 'object',
      properties: {
        storeId: { type: 'string', default: 'main' },
        pageSize: { type: 'integer', minimum: 1, default: 50 },
      },
      additionalProperties: false,
    },
    actions: [
      defineAction<{ id: number }, { ID: number; StatusKey: string }>({
        name: 'getOrder',
        input: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'integer' } },
          additionalProperties: false,
        },
        output: {
          type: 'object',
          required: ['ID', 'StatusKey'],
          properties: { ID: { type: 'integer' }, StatusKey: { type: 'string' } },
        },
        run: async ({ id }, { http }) =>
          (await http.get<{ ID: number; StatusKey: string }>(`/orders/${id}`)).body,
      }),
      defineAction({
        name: 'updateStatus',
        input: { type: 'object' },
        output: { type: 'object' },
        run: async (_input, { http }) => {
          const answer = (
            await http.put<{ ActionSucceeded: boolean; Messages: string[] }>('/orders/status', {})
          ).body;
          if (!answer.ActionSucceeded) throw new Error(answer.Messages.join('; '));
          return answer;
        },
      }),
      defineAction({
        name: 'echoContext',
        input: { type: 'object' },
        output: { type: 'object' },
        run: async (_input, context) => ({ ...context.settings, key: context.idempotencyKey }),
      }),
      defineAction({
        name: 'brokenOutput',
        input: { type: 'object' },
        output: { type: 'object', required: ['ID'] },
        run: async () => ({ id: 1 }),
      }),
    ],
    triggers: [
      defineTrigger({
        kind: 'webhook',
        name: 'orderEvents',
        events: ['order.created', 'order.statusChanged'],
        payload: { type: 'object', required: ['ID'] },
        verify: (request, secret, { replayCache, now }) =>
          verifyHmacSignature(request, secret, { header: 'x-sandbox-signature', replayCache, now }),
        toEvents: (body) => {
          const delivery = body as { id: string; type: string; order: unknown };
          return [{ event: delivery.type, id: delivery.id, payload: delivery.order }];
        },
      }),
      defineTrigger({
        kind: 'webhook',
        name: 'payoutCancelled',
        events: ['payout.cancelled'],
        secretName: 'ipcnSecret',
        verify: () => ({ valid: true }),
        toEvents: (body) => [
          {
            event: 'payout.cancelled',
            id: String((body as Record<string, string>)['IntPaymentId']),
            payload: body,
          },
        ],
      }),
      defineTrigger({
        kind: 'poll',
        name: 'modifiedOrders',
        events: ['order.modified'],
        poll: async (cursor, { http }) => {
          const page = (
            await http.get<{ Results: { ID: number }[]; Next: string }>('/orders', {
              query: { ModifiedSince: cursor },
            })
          ).body;
          return {
            events: page.Results.map((order) => ({
              event: 'order.modified',
              id: String(order.ID),
              payload: order,
            })),
            nextCursor: page.Next,
          };
        },
      }),
    ],
    classifyError: (failure) => {
      if (failure instanceof HttpStatusError && failure.status === 404)
        return new ConnectorError('business', 'no such order', { code: 'ORDER_NOT_FOUND' });
      if (failure instanceof Error && failure.message.includes('cannot move'))
        return new ConnectorError('business', failure.message, { code: 'STATUS_REFUSED' });
      return undefined;
    },
    healthCheck: async ({ http }) => {
      await http.get('/health');
    },
  });
}

describe('ConnectorInstance', () => {
  let remote: LocalServer;
  let instance: ConnectorInstance;
  let healthy = true;

  beforeEach(async () => {
    healthy = true;
    remote = await startLocalServer((request, response) => {
      if (request.path === '/health')
        return healthy ? sendJson(response, 200, {}) : sendJson(response, 503, {});
      if (request.path === '/orders/7')
        return sendJson(response, 200, { ID: 7, StatusKey: 'Confirmed' });
      if (request.path === '/orders/status')
        return sendJson(response, 200, {
          ActionSucceeded: false,
          Messages: ['cannot move Void to Shipped'],
          Result: null,
        });
      if (request.path.startsWith('/orders?'))
        return sendJson(response, 200, {
          Results: [{ ID: 1 }, { ID: 2 }],
          Next: '2025-01-02T00:00:00Z',
        });
      return sendJson(response, 404, { ResponseStatus: { ErrorCode: 'NotFound' } });
    });
    instance = createConnectorInstance(clarityLike(), {
      baseUrl: remote.url,
      secrets: staticSecrets({ webhookSecret: WEBHOOK_SECRET, ipcnSecret: 'unused' }),
      settings: { storeId: 'eu' },
      http: { retry: { maxAttempts: 1 } },
    });
  });

  afterEach(async () => {
    await instance.close();
    await remote.close();
  });

  it('runs an action and answers its validated output', async () => {
    await expect(instance.invoke('getOrder', { id: 7 })).resolves.toEqual({
      ID: 7,
      StatusKey: 'Confirmed',
    });
  });

  it('refuses input that breaks the schema before calling the remote', async () => {
    await expect(instance.invoke('getOrder', { id: 'seven', extra: 1 })).rejects.toMatchObject({
      failureType: 'config',
      code: 'INVALID_INPUT',
      message:
        'clarity-like.getOrder input is invalid: (root) must NOT have additional properties "extra"; /id must be integer',
    });
    expect(remote.requests).toHaveLength(0);
  });

  it('refuses output that breaks the schema', async () => {
    await expect(instance.invoke('brokenOutput', {})).rejects.toMatchObject({
      failureType: 'config',
      code: 'INVALID_OUTPUT',
    });
  });

  it('names the actions it has when asked for an unknown one', async () => {
    await expect(instance.invoke('getOrdr', {})).rejects.toThrow(
      'connector "clarity-like" has no action "getOrdr" (it has: getOrder, updateStatus, echoContext, brokenOutput)',
    );
  });

  it('classifies failures with the connector classifier: HTTP ones and thrown business refusals', async () => {
    await expect(instance.invoke('getOrder', { id: 8 })).rejects.toMatchObject({
      failureType: 'business',
      code: 'ORDER_NOT_FOUND',
    });
    await expect(instance.invoke('updateStatus', {})).rejects.toMatchObject({
      failureType: 'business',
      code: 'STATUS_REFUSED',
    });
  });

  it('gives actions the settings with their defaults and the idempotency key', async () => {
    await expect(
      instance.invoke('echoContext', {}, { idempotencyKey: 'flow-1:order-7' }),
    ).resolves.toEqual({
      storeId: 'eu',
      pageSize: 50,
      key: 'flow-1:order-7',
    });
  });

  it('refuses settings that break the settings schema, naming the connector', () => {
    expect(() =>
      createConnectorInstance(clarityLike(), {
        baseUrl: remote.url,
        secrets: staticSecrets({}),
        settings: { pageSize: 0 },
      }),
    ).toThrow('connector "clarity-like" settings are invalid: /pageSize must be >= 1');
  });

  it('accepts a signed webhook and maps it to events; refuses an unsigned one', async () => {
    const rawBody = JSON.stringify({ id: 'evt-1', type: 'order.created', order: { ID: 7 } });
    const headers = {
      'content-type': 'application/json',
      'x-sandbox-signature': signWebhookPayload({ secret: WEBHOOK_SECRET, rawBody }),
    };
    await expect(
      instance.receiveWebhook('orderEvents', {
        method: 'POST',
        url: '/webhooks/clarity-like/orderEvents',
        headers,
        rawBody,
      }),
    ).resolves.toEqual({
      accepted: true,
      events: [{ event: 'order.created', id: 'evt-1', payload: { ID: 7 } }],
    });
    await expect(
      instance.receiveWebhook('orderEvents', {
        method: 'POST',
        url: '/webhooks/clarity-like/orderEvents',
        headers: { 'content-type': 'application/json' },
        rawBody,
      }),
    ).resolves.toMatchObject({ accepted: false, reason: 'missing_signature' });
  });

  it('refuses events the trigger did not declare or whose payload breaks its schema', async () => {
    const rawBody = JSON.stringify({ id: 'evt-2', type: 'order.deleted', order: {} });
    const headers = {
      'x-sandbox-signature': signWebhookPayload({ secret: WEBHOOK_SECRET, rawBody }),
    };
    await expect(
      instance.receiveWebhook('orderEvents', { method: 'POST', url: '/', headers, rawBody }),
    ).rejects.toMatchObject({
      code: 'INVALID_EVENT',
      details: {
        problems: [
          'events[0].event must be one of order.created, order.statusChanged, got "order.deleted"',
          "events[0].payload (root) must have required property 'ID'",
        ],
      },
    });
  });

  it('parses form-encoded deliveries (Payoneer IPCN style)', async () => {
    const rawBody =
      'IntPaymentId=po-9&Reason+Code=10009&Reason+Description=Action+cannot+be+performed';
    const outcome = await instance.receiveWebhook('payoutCancelled', {
      method: 'POST',
      url: '/webhooks/clarity-like/payoutCancelled',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody,
    });
    expect(outcome).toEqual({
      accepted: true,
      events: [
        {
          event: 'payout.cancelled',
          id: 'po-9',
          payload: {
            IntPaymentId: 'po-9',
            'Reason Code': '10009',
            'Reason Description': 'Action cannot be performed',
          },
        },
      ],
    });
  });

  it('polls from a cursor and answers the next one', async () => {
    const result = await instance.poll('modifiedOrders', '2025-01-01T00:00:00Z');
    expect(result.nextCursor).toBe('2025-01-02T00:00:00Z');
    expect(result.events.map((event) => event.id)).toEqual(['1', '2']);
    expect(remote.requests[0]?.path).toBe('/orders?ModifiedSince=2025-01-01T00%3A00%3A00Z');
    await expect(instance.poll('orderEvents', undefined)).rejects.toThrow(
      'connector "clarity-like" has no poll trigger "orderEvents" (it has: modifiedOrders)',
    );
  });

  it('reports health without throwing', async () => {
    await expect(instance.checkHealth()).resolves.toMatchObject({ healthy: true });
    healthy = false;
    await expect(instance.checkHealth()).resolves.toMatchObject({
      healthy: false,
      error: { failureType: 'transient', code: 'HTTP_503' },
    });
  });
});
