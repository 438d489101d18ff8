/** What an API key may do: viewers read, operators also act on flows and dead letters, admins also manage keys and secrets. */
export const API_KEY_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];
