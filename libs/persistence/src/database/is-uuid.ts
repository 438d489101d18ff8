const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a textual UUID; lookups by anything else find nothing instead of failing in PostgreSQL. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
