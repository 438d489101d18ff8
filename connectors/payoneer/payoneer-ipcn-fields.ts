import { ConnectorError } from '@switchboard/connector-sdk';

/**
 * An IPCN body as flat text fields. Payoneer sends flat JSON with string values that may be
 * URL-encoded ("Action+cannot+be…", "2022-01-17T20%3a03%3a05Z"); they are decoded here.
 */
export function ipcnFields(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConnectorError(
      'config',
      `a Payoneer notification must be a flat JSON object, got ${Array.isArray(body) ? 'an array' : typeof body}`,
      { code: 'NOTIFICATION_UNREADABLE' },
    );
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    fields[key] = /%[0-9a-f]{2}/i.test(text) ? safeDecode(text.replace(/\+/g, ' ')) : text;
  }
  return fields;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch (error) {
    if (error instanceof URIError) return text; // a literal "%" that was never encoded
    throw error;
  }
}
