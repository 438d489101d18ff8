import type { ApiKeyRole } from '@switchboard/persistence';

/** Who is calling the admin API: the API key that authenticated the request. */
export interface ApiPrincipal {
  id: string;
  name: string;
  role: ApiKeyRole;
  /** Display prefix of the key (`sb_AbCd1234`), as `GET /api/keys` shows it. */
  prefix: string;
}
