import { createHash, createHmac } from 'node:crypto';
import {
  encodePayoneerUrl,
  payoneerHmacAuthorization,
  verifyPayoneerHmacAuthorization,
} from './payoneer-hmac-auth';

describe('Payoneer hmacauth', () => {
  it('lowercases, sorts the query and URL-encodes the URL the Java way', () => {
    expect(encodePayoneerUrl('https://Partner.example/IPCN?b=2&a=x y*~')).toBe(
      'https%3a%2f%2fpartner.example%2fipcn%3fa%3dx+y%2a%7e%26b%3d2',
    );
  });

  it('signs AppName + METHOD + EncodedURL + Timestamp + Nonce + base64(MD5(body))', () => {
    const input = {
      secret: 's3cret',
      method: 'POST',
      url: 'https://partner.example/ipcn',
      body: '{"IntPaymentId":"p-1"}',
      timestampSeconds: 1_700_000_000,
      nonce: 'a'.repeat(32),
    };
    const digest = createHash('md5').update(input.body).digest('base64');
    const expected = createHmac('sha256', 's3cret')
      .update(
        `Webhook-IPCNSender-sandboxPOST${encodePayoneerUrl(input.url)}1700000000${'a'.repeat(32)}${digest}`,
      )
      .digest('base64');
    const header = payoneerHmacAuthorization(input);
    expect(header).toBe(
      `hmacauth Webhook-IPCNSender-sandbox:${expected}:${'a'.repeat(32)}:1700000000`,
    );
    expect(verifyPayoneerHmacAuthorization(header, input, { nowSeconds: 1_700_000_100 })).toBe(
      true,
    );
    expect(verifyPayoneerHmacAuthorization(header, input, { nowSeconds: 1_700_001_000 })).toBe(
      false,
    );
    expect(
      verifyPayoneerHmacAuthorization(
        header,
        { ...input, secret: 'other' },
        { nowSeconds: 1_700_000_000 },
      ),
    ).toBe(false);
  });
});
