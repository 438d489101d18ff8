import { oauth2ClientCredentials } from '../auth/oauth2-client-credentials.strategy';
import { defineAction } from '../define/define-action';
import { defineConnector } from '../define/define-connector';
import { defineTrigger } from '../define/define-trigger';
import { ConnectorError } from '../errors/connector-error';
import { HttpStatusError } from '../http/http-status-error';
import { type LocalServer, sendJson, startLocalServer } from '../test-support/local-server';
import { signWebhookPayload, verifyHmacSignature } from '../webhook/hmac-signature';
import { describeConnector, httpFailureSample } from './describe-connector';

// The kit run on a Payoneer-like connector against a local server: every test it declares must pass.

const CLIENT = { clientId: 'conformance-client', clientSecret: 'conformance-secret' };
let issued = 0;
let remote: LocalServer;

beforeAll(async () => {
  const tokens = new Set<string>();
  remote = await startLocalServer((request, response) => {
    if (request.path === '/oauth2/token') {
      const expected = `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`;
      if (request.headers.authorization !== expected)
        return sendJson(response, 401, { error: 'invalid_client' });
      issued += 1;
      tokens.add(`token-${issued}`);
      return sendJson(response, 200, {
        access_token: `token-${issued}`,
        token_type: 'Bearer',
        expires_in: 3600,
      });
    }
    if (!tokens.has(request.headers.authorization?.replace('Bearer ', '') ?? ''))
      return sendJson(response, 401, { error: 'Unauthorized' });
    if (request.path === '/v4/balance')
      return sendJson(response, 200, { balance: 10_000, currency: 'USD' });
    if (request.method === 'POST' && request.path === '/v4/payouts') {
      const payout = JSON.parse(request.body) as { client_reference_id: string; amount: number };
      if (payout.amount > 10_000)
        return sendJson(response, 400, { error: 'Bad Request', error_details: { code: 10301 } });
      return sendJson(response, 200, {
        result: { client_reference_id: payout.client_reference_id, status: 'Pending' },
      });
    }
    if (request.path.startsWith('/v4/payouts?'))
      return sendJson(response, 200, {
        payouts: [{ id: 'po-1', status: 'Transferred' }],
        next: 'cursor-2',
      });
    return sendJson(response, 404, { error: 'Not Found' });
  });
});

afterAll(async () => {
  await remote.close();
});

const payoneerLike = defineConnector({
  id: 'payoneer-like',
  version: '1.0.0',
  sdkVersion: '^1.0.0',
  auth: oauth2ClientCredentials({ tokenUrl: '/oauth2/token' }),
  actions: [
    defineAction<Record<string, never>, { balance: number; currency: string }>({
      name: 'getBalance',
      input: { type: 'object', additionalProperties: false },
      output: { type: 'object', required: ['balance', 'currency'] },
      examples: [{ name: 'the account balance', input: {}, output: { currency: 'USD' } }],
      run: async (_input, { http }) =>
        (await http.get<{ balance: number; currency: string }>('/v4/balance')).body,
    }),
    defineAction<{ clientReferenceId: string; amount: number }, { status: string }>({
      name: 'submitPayout',
      input: {
        type: 'object',
        required: ['clientReferenceId', 'amount'],
        properties: {
          clientReferenceId: { type: 'string' },
          amount: { type: 'number', exclusiveMinimum: 0 },
        },
      },
      output: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } },
      run: async ({ clientReferenceId, amount }, { http }) => {
        const answer = await http.post<{ result: { status: string } }>(
          '/v4/payouts',
          { client_reference_id: clientReferenceId, amount },
          { idempotent: true },
        );
        return answer.body.result;
      },
    }),
  ],
  triggers: [
    defineTrigger({
      kind: 'webhook',
      name: 'payoutEvents',
      events: ['payout.statusUpdated'],
      verify: (request, secret, { replayCache, now }) =>
        verifyHmacSignature(request, secret, { header: 'x-signature', replayCache, now }),
      toEvents: (body) => [
        { event: 'payout.statusUpdated', id: (body as { id: string }).id, payload: body },
      ],
    }),
    defineTrigger({
      kind: 'poll',
      name: 'payoutChanges',
      events: ['payout.statusUpdated'],
      poll: async (cursor, { http }) => {
        const page = (
          await http.get<{ payouts: { id: string }[]; next: string }>('/v4/payouts', {
            query: { since: cursor ?? 'start' },
          })
        ).body;
        return {
          events: page.payouts.map((payout) => ({
            event: 'payout.statusUpdated',
            id: payout.id,
            payload: payout,
          })),
          nextCursor: page.next,
        };
      },
    }),
  ],
  classifyError: (failure) =>
    failure instanceof HttpStatusError &&
    (failure.response.body as { error_details?: { code?: number } } | undefined)?.error_details
      ?.code === 10301
      ? new ConnectorError('business', 'insufficient funds', {
          code: 'INSUFFICIENT_FUNDS',
          cause: failure,
        })
      : undefined,
  healthCheck: async ({ http }) => {
    await http.get('/v4/balance');
  },
});

describeConnector(payoneerLike, {
  target: () => ({
    baseUrl: remote.url,
    secrets: { ...CLIENT, webhookSecret: 'conformance-webhook-secret' },
    http: { retry: { maxAttempts: 1 } },
  }),
  fixtures: {
    submitPayout: [
      {
        name: 'a payout within balance',
        input: { clientReferenceId: 'po-77', amount: 25 },
        output: { status: 'Pending' },
      },
    ],
  },
  errorSamples: [
    {
      name: 'insufficient funds',
      failure: httpFailureSample(400, { error_details: { code: 10301 } }),
      expect: 'business',
      code: 'INSUFFICIENT_FUNDS',
    },
    {
      name: 'an unknown route',
      failure: httpFailureSample(404, { error: 'Not Found' }),
      expect: 'config',
      code: 'HTTP_404',
    },
  ],
  webhooks: {
    payoutEvents: [
      {
        name: 'payout transferred',
        events: ['payout.statusUpdated'],
        request: (target) => {
          const rawBody = JSON.stringify({ id: 'evt-po-1', status: 'Transferred' });
          const signature = signWebhookPayload({
            secret: target.secrets['webhookSecret'] ?? '',
            rawBody,
          });
          return {
            method: 'POST',
            url: '/webhooks/payoneer-like/payoutEvents',
            headers: { 'x-signature': signature },
            rawBody,
          };
        },
      },
    ],
  },
  polls: {
    payoutChanges: [{ name: 'from the start' }, { name: 'from a cursor', cursor: 'cursor-1' }],
  },
});

describe('the conformance run against the local server', () => {
  it('obtained one token for the suite and a second one when asked to renew', () => {
    // The wrong-credentials check is refused by the token endpoint, so it issues nothing.
    expect(issued).toBe(2);
  });
});
