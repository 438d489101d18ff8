/** A Frappe document as stored: the fields the API returns, child tables as arrays of rows. */
export type FrappeDoc = Record<string, unknown> & { name: string; doctype: string };

/** `YYYY-MM-DD HH:MM:SS.ffffff`, Frappe's datetime serialization. */
export function frappeDatetime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

/** A copy without null/undefined fields, as `as_dict(no_nulls=True)` sends documents. */
export function withoutNulls(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (value === null || value === undefined) continue;
    out[key] = Array.isArray(value)
      ? value.map((row: unknown) =>
          row !== null && typeof row === 'object'
            ? withoutNulls(row as Record<string, unknown>)
            : row,
        )
      : value;
  }
  return out;
}
