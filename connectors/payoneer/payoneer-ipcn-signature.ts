import { createHash } from 'node:crypto';

import {
  type WebhookRequest,
  type WebhookTools,
  type WebhookVerification,
  constantTimeEqual,
  hmacSha256,
} from '@switchboard/connector-sdk';

/** How far a notification's timestamp may be from now, either way. */
const TOLERANCE_SECONDS = 300;

const HMACAUTH = /^hmacauth ([^:\s]+):([^:\s]+):([0-9a-f]{32}):(\d+)$/i;

/**
 * Verifies Payoneer's IPCN `Authorization: hmacauth <AppName>:<Signature>:<Nonce>:<Timestamp>`
 * (payoneer.md §6): Signature = base64(HMAC-SHA256(secret, AppName + METHOD + EncodedURL +
 * Timestamp + Nonce + base64(MD5(body)))). The URL is the one Payoneer posted to, rebuilt from
 * the Host (or X-Forwarded-Host/-Proto) header and the request path; each nonce is accepted once.
 */
export async function verifyIpcnSignature(
  request: WebhookRequest,
  secret: string,
  tools: WebhookTools,
): Promise<WebhookVerification> {
  const header = firstHeader(request, 'authorization');
  if (header === undefined || header.trim() === '') {
    return {
      valid: false,
      reason: 'missing_signature',
      message: 'header Authorization is missing',
    };
  }
  const match = HMACAUTH.exec(header.trim());
  if (match === null) {
    return {
      valid: false,
      reason: 'malformed_signature',
      message: 'header Authorization must read hmacauth <AppName>:<Signature>:<Nonce>:<Timestamp>',
    };
  }
  const [, appName = '', signature = '', nonce = '', timestamp = ''] = match;
  const method = request.method.toUpperCase();
  const raw = Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.from(request.rawBody);
  const bodyDigest = method === 'POST' ? createHash('md5').update(raw).digest('base64') : '';
  const material = `${appName}${method}${encodeIpcnUrl(receivedUrl(request))}${timestamp}${nonce}${bodyDigest}`;
  if (!constantTimeEqual(hmacSha256(secret, material, 'base64'), signature)) {
    return {
      valid: false,
      reason: 'bad_signature',
      message: 'signature does not match the request',
    };
  }
  const timestampSeconds = Number(timestamp);
  if (Math.abs(tools.now() / 1000 - timestampSeconds) > TOLERANCE_SECONDS) {
    return {
      valid: false,
      reason: 'expired',
      message: `timestamp ${timestamp} is outside the ${TOLERANCE_SECONDS} s tolerance`,
    };
  }
  const first = await tools.replayCache.remember(
    `payoneer-ipcn:${nonce.toLowerCase()}`,
    (timestampSeconds + TOLERANCE_SECONDS) * 1000,
  );
  if (!first) return { valid: false, reason: 'replayed', message: 'this nonce was already used' };
  return { valid: true };
}

function firstHeader(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The absolute URL the sender addressed: proxies say so in X-Forwarded-*; else Host. */
function receivedUrl(request: WebhookRequest): string {
  if (/^https?:\/\//i.test(request.url)) return request.url;
  const proto = firstHeader(request, 'x-forwarded-proto')?.split(',')[0]?.trim() ?? 'http';
  const host =
    firstHeader(request, 'x-forwarded-host')?.split(',')[0]?.trim() ??
    firstHeader(request, 'host') ??
    'localhost';
  return `${proto}://${host}${request.url}`;
}

/** lowercase(JavaURLEncode(normalize(url))): normalize lowercases and sorts the query. */
function encodeIpcnUrl(url: string): string {
  const lowered = url.toLowerCase();
  const queryAt = lowered.indexOf('?');
  const base = queryAt === -1 ? lowered : lowered.slice(0, queryAt);
  const query = queryAt === -1 ? '' : lowered.slice(queryAt + 1);
  const sorted = query.split('&').filter(Boolean).sort().join('&');
  const normalized = sorted === '' ? base : `${base}?${sorted}`;
  return encodeURIComponent(normalized)
    .replace(/%20/g, '+')
    .replace(/[!'()~*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .toLowerCase();
}
