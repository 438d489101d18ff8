import { randomBytes } from 'node:crypto';

import { type ConformanceTarget, type WebhookRequest } from '@switchboard/connector-sdk';

import { payoneerHmacAuthorization } from '../../../apps/sandbox/src';

/** Where the runtime's ingress would be reached from Payoneer in these tests. */
const INGRESS_HOST = '127.0.0.1:3000';

/** A notification signed the way Payoneer's IPCN sender (and the sandbox) signs it. */
export function signedNotification(
  path: string,
  fields: Record<string, string>,
  secret: string,
): WebhookRequest {
  const rawBody = JSON.stringify(fields);
  return {
    method: 'POST',
    url: path,
    headers: {
      host: INGRESS_HOST,
      'content-type': 'application/json',
      authorization: payoneerHmacAuthorization({
        secret,
        method: 'POST',
        url: `http://${INGRESS_HOST}${path}`,
        body: rawBody,
        timestampSeconds: Math.floor(Date.now() / 1000),
        nonce: randomBytes(16).toString('hex'),
      }),
    },
    rawBody,
  };
}

/** A fixture builder for the conformance kit: signs with the target's webhook secret. */
export const notificationFixture =
  (path: string, fields: Record<string, string>) =>
  (target: ConformanceTarget): WebhookRequest =>
    signedNotification(path, fields, target.secrets['webhookSecret'] ?? '');
