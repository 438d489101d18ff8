import { type SecretResolver } from '../auth/secret-resolver';
import { type HttpClient } from '../http/http-client';
import { type ConnectorLogger } from '../observe/connector-logger';

/** The connector-specific settings, validated against the connector's `settings` schema. */
export type ConnectorSettings = Readonly<Record<string, unknown>>;

/** What every action, trigger and health check of a connector instance is given. */
export interface ConnectorContext {
  connectorId: string;
  settings: ConnectorSettings;
  /** Authenticated, resilient HTTP to the connector's base URL(s). */
  http: HttpClient;
  secrets: SecretResolver;
  logger: ConnectorLogger;
  signal?: AbortSignal;
}

/** What an action run is given on top of the connector context. */
export interface ActionContext extends ConnectorContext {
  /** Stable across retries of the same flow step: send it where the remote de-duplicates. */
  idempotencyKey?: string;
  correlationId?: string;
}
