import { type ScaffoldNames } from '../scaffold-names';

/** `test/<id>.conformance.spec.ts`: the shared conformance suite against the local fake. */
export function conformanceSpecTemplate(n: ScaffoldNames): string {
  return `import {
  describeConnector,
  httpFailureSample,
  signWebhookPayload,
} from '@switchboard/connector-sdk';

import ${n.camel} from '../${n.id}.connector';
import { type Fake${n.pascal}, startFake${n.pascal} } from './fake-${n.id}.server';

// Test-only credentials, known to the local fake server and nothing else.
const API_KEY = 'test-api-key-${n.id}';
const WEBHOOK_SECRET = 'test-webhook-secret-${n.id}';

let server: Fake${n.pascal};

beforeAll(async () => {
  server = await startFake${n.pascal}({ apiKey: API_KEY });
});

afterAll(async () => {
  await server.close();
});

describeConnector(${n.camel}, {
  target: () => ({
    baseUrl: server.url,
    secrets: { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET },
  }),
  errorSamples: [
    {
      name: 'an unknown item (404)',
      failure: httpFailureSample(404, { message: 'no such item' }),
      expect: 'business',
      code: 'ITEM_NOT_FOUND',
    },
    {
      name: 'a refused item (422)',
      failure: httpFailureSample(422, { message: 'name and quantity are required' }),
      expect: 'business',
      code: 'ITEM_REJECTED',
    },
  ],
  webhooks: {
    itemEvents: [
      {
        name: 'item created',
        events: ['item.created'],
        request: (target) => {
          const rawBody = JSON.stringify({
            id: 'evt-1',
            type: 'item.created',
            item: { id: 'item-2' },
          });
          const secret = target.secrets['webhookSecret'] ?? '';
          return {
            method: 'POST',
            url: '/webhooks/${n.id}/itemEvents',
            headers: {
              'content-type': 'application/json',
              'x-${n.id}-signature': signWebhookPayload({ secret, rawBody }),
            },
            rawBody,
          };
        },
      },
    ],
  },
});
`;
}
