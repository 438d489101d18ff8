import type { ApiKeyRole } from '@switchboard/persistence';

const RANK: Record<ApiKeyRole, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when a key of role `actual` may use a route that needs `required` (admin ⊇ operator ⊇ viewer). */
export function roleAllows(actual: ApiKeyRole, required: ApiKeyRole): boolean {
  return RANK[actual] >= RANK[required];
}
