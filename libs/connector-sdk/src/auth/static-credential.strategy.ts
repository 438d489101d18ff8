import {
  type AuthContext,
  type AuthorizableRequest,
  type AuthStrategy,
  type Authenticator,
} from './auth-strategy';
import { credentialFingerprint } from './credential-fingerprint';

/** Shared body of the strategies whose credential is a fixed secret: resolved per request so rotation applies at once. */
export function staticCredentialStrategy(
  kind: string,
  secretNames: readonly string[],
  applyValues: (
    values: Readonly<Record<string, string>>,
    request: AuthorizableRequest,
    context: AuthContext,
  ) => string,
): AuthStrategy {
  return {
    kind,
    secretNames,
    renewable: false,
    create(context: AuthContext): Authenticator {
      return {
        async apply(request) {
          const values: Record<string, string> = {};
          for (const name of secretNames) values[name] = await context.secrets.get(name);
          const credential = applyValues(values, request, context);
          context.redactor.add(credential);
          return credentialFingerprint(credential);
        },
        async renew() {
          return false;
        },
      };
    },
  };
}
