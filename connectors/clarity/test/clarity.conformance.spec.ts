import {
  type WebhookRequest,
  describeConnector,
  httpFailureSample,
} from '@switchboard/connector-sdk';

import { type SandboxHandle, signSandboxPayload, startSandbox } from '../../../apps/sandbox/src';
import clarity from '../clarity.connector';

let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 9 });
  const seeded = await fetch(`${sandbox.urls.control}/scenarios/merchant`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customers: 3, vendors: 2, affiliates: 2, orders: 6, paidRatio: 0.5 }),
  });
  if (!seeded.ok) throw new Error(`seeding the sandbox failed: ${await seeded.text()}`);
});
afterAll(async () => {
  await sandbox.close();
});

const signedEvent =
  (eventType: string, data: Record<string, unknown>) =>
  (target: { secrets: Record<string, string> }): WebhookRequest => {
    const rawBody = JSON.stringify({
      EventID: `evt-${eventType}`,
      EventType: eventType,
      OccurredAt: '2026-03-01T10:00:00.000Z',
      Data: data,
    });
    return {
      method: 'POST',
      url: `/hooks/clarity/${eventType}`,
      headers: {
        'content-type': 'application/json',
        'x-sandbox-signature': signSandboxPayload(
          target.secrets['webhookSecret'] ?? '',
          rawBody,
          Math.floor(Date.now() / 1000),
        ),
      },
      rawBody,
    };
  };

const order = {
  ID: 7,
  CustomKey: 'SO-7',
  StatusKey: 'Pending',
  UpdatedDate: '2026-03-01T10:00:00Z',
};

describeConnector(clarity, {
  target: () => ({
    baseUrl: sandbox.urls.clarity,
    secrets: {
      username: sandbox.credentials.clarity.username,
      password: sandbox.credentials.clarity.password,
      webhookSecret: sandbox.webhookSecret,
    },
  }),
  errorSamples: [
    {
      name: 'an unknown order (404 NotFound)',
      failure: httpFailureSample(404, {
        ResponseStatus: { ErrorCode: 'NotFound', Message: 'SalesOrder with ID 99 was not found' },
      }),
      expect: 'business',
      code: 'NOT_FOUND',
    },
    {
      name: 'an unreadable ModifiedSince (400 SerializationException)',
      failure: httpFailureSample(400, {
        ResponseStatus: {
          ErrorCode: 'SerializationException',
          Message: "'yesterday' is an Invalid value for 'ModifiedSince'",
          Errors: [{ ErrorCode: 'SerializationException', FieldName: 'ModifiedSince' }],
        },
      }),
      expect: 'config',
      code: 'REQUEST_REJECTED',
    },
    {
      name: 'an expired session (401)',
      failure: httpFailureSample(401, {
        ResponseStatus: { ErrorCode: 'Unauthorized', Message: 'Not Authenticated' },
      }),
      expect: 'config',
    },
  ],
  webhooks: {
    orderEvents: [
      {
        name: 'order created',
        request: signedEvent('order.created', { SalesOrder: order }),
        events: ['order.created'],
      },
      {
        name: 'payment processed',
        request: signedEvent('payment.processed', {
          Payment: { ID: 3, SalesOrderID: 7, Amount: 10 },
          SalesOrder: order,
        }),
        events: ['payment.processed'],
      },
      {
        name: 'order status changed',
        request: signedEvent('order.status_changed', {
          SalesOrder: order,
          PreviousStatusKey: 'Confirmed',
        }),
        events: ['order.status_changed'],
      },
    ],
  },
});
