import { type AuthStrategy } from './auth-strategy';
import { staticCredentialStrategy } from './static-credential.strategy';

export interface ApiKeyOptions {
  /** Header carrying the key. Default `X-Api-Key` (unless `queryParam` is given). */
  header?: string;
  /** Query parameter carrying the key instead of a header. */
  queryParam?: string;
  /** Secrets making up the credential. Default `['apiKey']`. */
  secretNames?: string[];
  /** Builds the header/parameter value from the secrets, e.g. ERPNext's `token <key>:<secret>`. */
  format?: (secrets: Readonly<Record<string, string>>) => string;
}

/** A fixed key (or key + secret) sent on every request. */
export function apiKey(options: ApiKeyOptions = {}): AuthStrategy {
  const secretNames = options.secretNames ?? ['apiKey'];
  const first = secretNames[0];
  if (first === undefined) throw new TypeError('apiKey: secretNames must name at least one secret');
  const format =
    options.format ?? ((secrets: Readonly<Record<string, string>>) => secrets[first] ?? '');
  const header =
    options.queryParam === undefined ? (options.header ?? 'X-Api-Key') : options.header;
  return staticCredentialStrategy('api_key', secretNames, (secrets, request) => {
    const credential = format(secrets);
    if (header !== undefined) request.headers[header.toLowerCase()] = credential;
    if (options.queryParam !== undefined)
      request.url.searchParams.set(options.queryParam, credential);
    return credential;
  });
}
