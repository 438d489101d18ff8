import { type AuthStrategy } from './auth-strategy';

/** For remotes that need no credentials. */
export function noAuth(): AuthStrategy {
  return {
    kind: 'none',
    secretNames: [],
    renewable: false,
    create() {
      return {
        async apply() {
          return undefined;
        },
        async renew() {
          return false;
        },
      };
    },
  };
}
