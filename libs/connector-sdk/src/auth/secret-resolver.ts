import { ConnectorError } from '../errors/connector-error';

/**
 * Where a connector gets its secrets: the runtime's encrypted store, scoped to the connector
 * (names are connector-local: `clientSecret`, not `payoneer.clientSecret`). Connectors never
 * read the environment. Rejects with a `config` ConnectorError when a secret is not set.
 */
export interface SecretResolver {
  get(name: string): Promise<string>;
}

/** A resolver over fixed values, for tests, the conformance kit and local demos. */
export function staticSecrets(values: Readonly<Record<string, string>>): SecretResolver {
  return {
    async get(name: string): Promise<string> {
      const value = values[name];
      if (value === undefined) {
        throw new ConnectorError('config', `secret "${name}" is not set`, {
          code: 'SECRET_MISSING',
        });
      }
      return value;
    },
  };
}
