import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the sandbox signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature';

/** Signs `timestamp + "." + rawBody` with HMAC-SHA256 and returns the header value. */
export function signSandboxPayload(
  secret: string,
  rawBody: string,
  timestampSeconds: number,
): string {
  const digest = createHmac('sha256', secret)
    .update(`${timestampSeconds}.${rawBody}`)
    .digest('hex');
  return `t=${timestampSeconds},v1=${digest}`;
}

/** Verifies an `X-Sandbox-Signature` header against the raw body, within a timestamp tolerance. */
export function verifySandboxSignature(
  secret: string,
  header: string | undefined,
  rawBody: string,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  if (!header) return false;
  const parts = new Map(
    header.split(',').map((part) => {
      const [key, ...value] = part.trim().split('=');
      return [key ?? '', value.join('=')] as const;
    }),
  );
  const timestamp = Number(parts.get('t'));
  const signature = parts.get('v1');
  if (!Number.isInteger(timestamp) || !signature) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(
    signSandboxPayload(secret, rawBody, timestamp).split('v1=')[1] ?? '',
    'hex',
  );
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
