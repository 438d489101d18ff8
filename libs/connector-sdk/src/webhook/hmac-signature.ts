import { createHmac, timingSafeEqual } from 'node:crypto';

import { type ReplayCache } from './replay-cache';
import { type WebhookRequest, type WebhookVerification } from './webhook-request';

/** HMAC-SHA256 of `data` under `secret`, hex (default) or base64 — for connector-specific schemes. */
export function hmacSha256(
  secret: string | Buffer,
  data: string | Buffer,
  encoding: 'hex' | 'base64' = 'hex',
): string {
  return createHmac('sha256', secret).update(data).digest(encoding);
}

/** Compares two signatures in constant time (the length is not secret). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface SignWebhookOptions {
  secret: string;
  rawBody: Buffer | string;
  /** Unix seconds. Default now. */
  timestamp?: number;
}

/**
 * The signature header value `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, the
 * scheme the sandbox's publishers use and `verifyHmacSignature` checks.
 */
export function signWebhookPayload(options: SignWebhookOptions): string {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return `t=${timestamp},v1=${hmacSha256(options.secret, signedContent(timestamp, options.rawBody))}`;
}

export interface VerifyHmacOptions {
  /** Lower-case name of the header carrying `t=…,v1=…`, e.g. `x-sandbox-signature`. */
  header: string;
  /** How far the timestamp may be from now, either way. Default 300 s. */
  toleranceSeconds?: number;
  /** Refuses a second delivery of the same id within the tolerance window. */
  replayCache?: ReplayCache;
  /** The delivery's own id (e.g. an event-id header); default the signature itself. */
  deliveryId?: string;
  /** Epoch ms. Default Date.now. */
  now?: () => number;
}

/**
 * Verifies a `t=…,v1=…` HMAC-SHA256 signature over `<t>.<raw body>`: constant-time compare, any
 * of several `v1` values may match (secret rotation), timestamp within tolerance, no replay.
 */
export async function verifyHmacSignature(
  request: WebhookRequest,
  secret: string,
  options: VerifyHmacOptions,
): Promise<WebhookVerification> {
  const raw = request.headers[options.header.toLowerCase()];
  const header = Array.isArray(raw) ? raw[0] : raw;
  if (header === undefined || header.trim() === '') {
    return {
      valid: false,
      reason: 'missing_signature',
      message: `header ${options.header} is missing`,
    };
  }
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) {
    return {
      valid: false,
      reason: 'malformed_signature',
      message: `header ${options.header} must read t=<unix seconds>,v1=<hex>`,
    };
  }
  const expected = hmacSha256(secret, signedContent(timestamp, request.rawBody));
  // Compare against every candidate so the time taken does not reveal which one matched.
  const matched = signatures
    .map((candidate) => constantTimeEqual(candidate, expected))
    .includes(true);
  if (!matched)
    return { valid: false, reason: 'bad_signature', message: 'signature does not match the body' };

  const toleranceSeconds = options.toleranceSeconds ?? 300;
  const nowMs = (options.now ?? Date.now)();
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) {
    return {
      valid: false,
      reason: 'expired',
      message: `timestamp ${timestamp} is outside the ${toleranceSeconds} s tolerance`,
    };
  }
  if (options.replayCache !== undefined) {
    const id = options.deliveryId ?? `${timestamp}.${expected}`;
    const first = await options.replayCache.remember(id, (timestamp + toleranceSeconds) * 1000);
    if (!first)
      return { valid: false, reason: 'replayed', message: 'this delivery was already accepted' };
  }
  return { valid: true };
}

function signedContent(timestamp: number, rawBody: Buffer | string): Buffer {
  return Buffer.concat([
    Buffer.from(`${timestamp}.`),
    Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody),
  ]);
}
