import { FrappeApiError } from './frappe-api.error';

/** A request body as Frappe reads it: JSON, or a form whose `data` field holds JSON; `doctype` is dropped. */
export function readFrappeBody(body: unknown): Record<string, unknown> {
  let record =
    body !== null && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  if (typeof record.data === 'string') {
    try {
      const parsed: unknown = JSON.parse(record.data);
      record =
        parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
          ? (parsed as Record<string, unknown>)
          : {};
    } catch (error) {
      throw new FrappeApiError(
        'ValidationError',
        `data is not valid JSON: ${(error as Error).message}`,
      );
    }
  }
  const { doctype: _ignored, ...rest } = record;
  return rest;
}
