import {
  createConnectorInstance,
  describeConnector,
  httpFailureSample,
  staticSecrets,
} from '@switchboard/connector-sdk';

import { type SandboxHandle, startSandbox } from '../../../apps/sandbox/src';
import payoneer from '../payoneer.connector';
import { notificationFixture } from './payoneer-test-support';

let sandbox: SandboxHandle;

const settings = () => ({
  programId: sandbox.credentials.payoneer.programId,
  accountId: sandbox.credentials.payoneer.accountId,
  tokenUrl: '/api/v2/oauth2/token',
});
const secrets = () => ({
  clientId: sandbox.credentials.payoneer.clientId,
  clientSecret: sandbox.credentials.payoneer.clientSecret,
  webhookSecret: sandbox.webhookSecret,
});

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 3, clock: { start: new Date(), frozen: true } });
  await fetch(`${sandbox.urls.control}/scenarios/merchant`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customers: 2, vendors: 2, affiliates: 1, orders: 4, paidRatio: 1 }),
  });
  // The payouts the status and cancel examples ask about.
  const seeding = createConnectorInstance(payoneer, {
    baseUrl: sandbox.urls.payoneer,
    settings: settings(),
    secrets: staticSecrets(secrets()),
  });
  await seeding.invoke('submitPayouts', {
    payouts: ['example-status-1', 'example-cancel-1'].map((clientReferenceId) => ({
      clientReferenceId,
      payeeId: 'VEND-0001',
      amount: '5.00',
      currency: 'USD',
      description: 'conformance seed',
    })),
  });
  await seeding.close();
});
afterAll(async () => {
  await sandbox.close();
});

const envelope = (status: number, description: string, subCode: number) => ({
  error: status === 400 ? 'Bad Request' : 'Not Found',
  error_description: description,
  error_details: { code: status, sub_code: subCode },
  audit_id: 42,
});

describeConnector(payoneer, {
  target: () => ({ baseUrl: sandbox.urls.payoneer, settings: settings(), secrets: secrets() }),
  errorSamples: [
    {
      name: 'insufficient funds',
      failure: httpFailureSample(400, envelope(400, 'Insufficient funds', 3)),
      expect: 'business',
      code: 'INSUFFICIENT_FUNDS',
    },
    {
      name: 'an unknown payee (10005)',
      failure: httpFailureSample(404, envelope(404, 'Payee was not found', 10005)),
      expect: 'business',
      code: 'PAYEE_NOT_FOUND',
    },
    {
      name: 'an inactive payee (10009)',
      failure: httpFailureSample(
        400,
        envelope(400, 'Action cannot be performed because payee is inactive', 10009),
      ),
      expect: 'business',
      code: 'PAYEE_INACTIVE',
    },
    {
      name: 'an unknown payout (2306)',
      failure: httpFailureSample(404, envelope(404, 'Payout not found', 2306)),
      expect: 'business',
      code: 'PAYOUT_NOT_FOUND',
    },
    {
      name: 'an expired token (401/4016)',
      failure: httpFailureSample(401, envelope(401, 'Access token is invalid (expired)', 4016)),
      expect: 'config',
    },
    {
      name: 'a 502 from the gateway',
      failure: httpFailureSample(502, '<html>Bad Gateway</html>'),
      expect: 'transient',
    },
  ],
  webhooks: {
    payoutNotifications: [
      {
        name: 'CancelPayout',
        request: notificationFixture('/hooks/payoneer/payout.status_updated', {
          'Payee Id': 'VEND-0001',
          IntPaymentId: 'po-9',
          'Reason Code': '10005',
          'Reason Description': 'Payee was not found',
          'Payment Amount': '12.50',
          'Canceled Payment Date': '2026-03-01T10:00:00Z',
        }),
        events: ['payout.status_updated'],
      },
      {
        name: 'PayeeApproved',
        request: notificationFixture('/hooks/payoneer/payee.status_updated', {
          'Payee Id': 'VEND-0002',
          'Payoneer Id': '3676945',
          'Session Id': '',
        }),
        events: ['payee.status_updated'],
      },
    ],
    paymentReceived: [
      {
        name: 'PaymentReceived',
        request: notificationFixture('/hooks/payoneer/payment.received', {
          'Transaction Id': 'TX-1',
          'Payment Reference': 'CLR-TX-1',
          Amount: '100.00',
          Currency: 'USD',
          'Fee Amount': '2.50',
          'Fee Currency': 'USD',
          'Net Amount': '97.50',
          'Transaction Date': '2026-03-01T10:00:00Z',
        }),
        events: ['payment.received'],
      },
    ],
  },
});
