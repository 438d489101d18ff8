import { hmacSha256, signWebhookPayload, verifyHmacSignature } from './hmac-signature';
import { InMemoryReplayCache } from './replay-cache';
import { type WebhookRequest } from './webhook-request';

const SECRET = 'whsec-3f9a7c21';
const NOW_SECONDS = 1_767_000_000;
const now = (): number => NOW_SECONDS * 1000;
const BODY = JSON.stringify({
  id: 'evt-42',
  type: 'order.created',
  order: { ID: 42, Total: 99.5 },
});

function delivery(signature: string | undefined, rawBody: string | Buffer = BODY): WebhookRequest {
  return {
    method: 'POST',
    url: '/webhooks/clarity/orderEvents',
    headers: {
      'content-type': 'application/json',
      ...(signature === undefined ? {} : { 'x-sandbox-signature': signature }),
    },
    rawBody,
  };
}

const verify = (
  request: WebhookRequest,
  options: { secret?: string; replayCache?: InMemoryReplayCache; at?: number } = {},
) =>
  verifyHmacSignature(request, options.secret ?? SECRET, {
    header: 'X-Sandbox-Signature',
    toleranceSeconds: 300,
    replayCache: options.replayCache,
    now: () => options.at ?? now(),
  });

describe('verifyHmacSignature', () => {
  const signed = signWebhookPayload({ secret: SECRET, rawBody: BODY, timestamp: NOW_SECONDS - 10 });

  it('accepts a delivery signed with the shared secret', async () => {
    expect(signed).toBe(
      `t=${NOW_SECONDS - 10},v1=${hmacSha256(SECRET, `${NOW_SECONDS - 10}.${BODY}`)}`,
    );
    await expect(verify(delivery(signed))).resolves.toEqual({ valid: true });
    await expect(verify(delivery(signed, Buffer.from(BODY)))).resolves.toEqual({ valid: true });
  });

  it('refuses a tampered body', async () => {
    const tampered = BODY.replace('99.5', '9.5');
    await expect(verify(delivery(signed, tampered))).resolves.toMatchObject({
      valid: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a signature made with another secret', async () => {
    await expect(verify(delivery(signed), { secret: 'whsec-other' })).resolves.toMatchObject({
      valid: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a delivery outside the timestamp tolerance, old or from the future', async () => {
    await expect(
      verify(delivery(signed), { at: (NOW_SECONDS + 301) * 1000 }),
    ).resolves.toMatchObject({ valid: false, reason: 'expired' });
    const future = signWebhookPayload({
      secret: SECRET,
      rawBody: BODY,
      timestamp: NOW_SECONDS + 600,
    });
    await expect(verify(delivery(future))).resolves.toMatchObject({
      valid: false,
      reason: 'expired',
    });
  });

  it('refuses the same delivery a second time', async () => {
    const replayCache = new InMemoryReplayCache(100, now);
    await expect(verify(delivery(signed), { replayCache })).resolves.toEqual({ valid: true });
    await expect(verify(delivery(signed), { replayCache })).resolves.toMatchObject({
      valid: false,
      reason: 'replayed',
    });
    const resent = signWebhookPayload({
      secret: SECRET,
      rawBody: BODY,
      timestamp: NOW_SECONDS - 5,
    });
    await expect(verify(delivery(resent), { replayCache })).resolves.toEqual({ valid: true });
  });

  it('accepts any of several signatures, so the secret can be rotated', async () => {
    const old = signWebhookPayload({ secret: 'whsec-old', rawBody: BODY, timestamp: NOW_SECONDS });
    const current = signWebhookPayload({ secret: SECRET, rawBody: BODY, timestamp: NOW_SECONDS });
    const both = `${old},v1=${current.split('v1=')[1] ?? ''}`;
    await expect(verify(delivery(both))).resolves.toEqual({ valid: true });
  });

  it('says what is wrong with a missing or malformed header', async () => {
    await expect(verify(delivery(undefined))).resolves.toEqual({
      valid: false,
      reason: 'missing_signature',
      message: 'header X-Sandbox-Signature is missing',
    });
    await expect(verify(delivery('sha256=abc'))).resolves.toMatchObject({
      valid: false,
      reason: 'malformed_signature',
    });
    await expect(verify(delivery(`t=${NOW_SECONDS},v1=zz`))).resolves.toMatchObject({
      valid: false,
      reason: 'malformed_signature',
    });
  });
});

describe('InMemoryReplayCache', () => {
  it('stays within its bound, forgetting the oldest ids first, and forgets expired ids', async () => {
    let clock = 0;
    const cache = new InMemoryReplayCache(3, () => clock);
    for (const id of ['a', 'b', 'c', 'd']) expect(await cache.remember(id, 1_000)).toBe(true);
    expect(cache.size).toBe(3);
    expect(await cache.remember('d', 1_000)).toBe(false);
    expect(await cache.remember('a', 1_000)).toBe(true); // evicted when full
    clock = 2_000;
    expect(await cache.remember('d', 3_000)).toBe(true); // expired
    expect(cache.size).toBe(1);
  });
});
