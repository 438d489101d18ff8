import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** AppName Payoneer's IPCN sender uses in the sandbox environment. */
export const PAYONEER_IPCN_APP_NAME = 'Webhook-IPCNSender-sandbox';

/** Inputs of Payoneer's IPCN `hmacauth` signature (payoneer.md §6, from Payoneer's HmacCalculator). */
export interface PayoneerHmacInput {
  secret: string;
  method: string;
  url: string;
  body: string;
  timestampSeconds: number;
  /** 32 hex characters. */
  nonce: string;
  appName?: string;
}

/**
 * Builds `hmacauth <AppName>:<Signature>:<Nonce>:<Timestamp>` where Signature is
 * base64(HMAC-SHA256(secret, AppName + METHOD + EncodedURL + Timestamp + Nonce + BodyDigest)).
 */
export function payoneerHmacAuthorization(input: PayoneerHmacInput): string {
  const appName = input.appName ?? PAYONEER_IPCN_APP_NAME;
  return `hmacauth ${appName}:${payoneerHmacSignature({ ...input, appName })}:${input.nonce}:${input.timestampSeconds}`;
}

/** The base64 signature part of the `hmacauth` header. */
export function payoneerHmacSignature(input: PayoneerHmacInput): string {
  const method = input.method.toUpperCase();
  const bodyDigest = method === 'POST' ? createHash('md5').update(input.body).digest('base64') : '';
  const material = `${input.appName ?? PAYONEER_IPCN_APP_NAME}${method}${encodePayoneerUrl(input.url)}${input.timestampSeconds}${input.nonce}${bodyDigest}`;
  return createHmac('sha256', input.secret).update(material).digest('base64');
}

/** Verifies an `hmacauth` Authorization header for a received notification. */
export function verifyPayoneerHmacAuthorization(
  header: string | undefined,
  request: { secret: string; method: string; url: string; body: string },
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  const match = /^hmacauth ([^:]+):([^:]+):([0-9a-f]{32}):(\d+)$/i.exec(header ?? '');
  if (!match) return false;
  const [, appName = '', signature = '', nonce = '', timestamp = ''] = match;
  const timestampSeconds = Number(timestamp);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestampSeconds) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(
    payoneerHmacSignature({ ...request, appName, nonce, timestampSeconds }),
  );
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * lowercase(urlencode(normalize(url))): normalize lowercases the URL and sorts its query
 * parameters; urlencode follows Java's URLEncoder (space → "+") with "*" → "%2A", "~" → "%7E".
 */
export function encodePayoneerUrl(url: string): string {
  const lowered = url.toLowerCase();
  const queryAt = lowered.indexOf('?');
  const base = queryAt === -1 ? lowered : lowered.slice(0, queryAt);
  const query = queryAt === -1 ? '' : lowered.slice(queryAt + 1);
  const sortedQuery = query === '' ? '' : query.split('&').filter(Boolean).sort().join('&');
  const normalized = sortedQuery === '' ? base : `${base}?${sortedQuery}`;
  return javaUrlEncode(normalized).toLowerCase();
}

function javaUrlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, '+')
    .replace(/[!'()~*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
