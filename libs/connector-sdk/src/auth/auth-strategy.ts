import { type ConnectorSettings } from '../define/connector-context';
import { type HttpRequest, type HttpResponse } from '../http/http-request';
import { type ConnectorLogger } from '../observe/connector-logger';
import { type ConnectorObserver } from '../observe/connector-observer';
import { type Redactor } from '../observe/redactor';
import { type SecretResolver } from './secret-resolver';
import { type TokenStore } from './token-store';

/** The credential put on one request; handed back to `renew` when the remote refused it. */
export interface AppliedCredential {
  /** A fingerprint of the credential value, never the value itself. */
  readonly fingerprint: string;
}

/** The part of an outgoing request an authenticator may change. */
export interface AuthorizableRequest {
  readonly url: URL;
  readonly headers: Record<string, string>;
}

/** Puts credentials on requests and renews them; made by an `AuthStrategy` per connector instance. */
export interface Authenticator {
  apply(request: AuthorizableRequest): Promise<AppliedCredential | undefined>;
  /**
   * Called after the remote answered 401 to `rejected`. True when a different credential is now
   * in use (renewed by this call or by a concurrent one), so the request is worth sending once more.
   */
  renew(rejected: AppliedCredential | undefined): Promise<boolean>;
}

/** What a strategy may use to build its authenticator. */
export interface AuthContext {
  connectorId: string;
  settings: ConnectorSettings;
  /** Every value it returns is already registered with the redactor. */
  secrets: SecretResolver;
  tokenStore: TokenStore;
  redactor: Redactor;
  /** The connector's HTTP client without authentication: for token and login endpoints. */
  transport: { request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>> };
  logger: ConnectorLogger;
  observer: ConnectorObserver;
  now: () => number;
}

/** How a connector authenticates, declared once in `defineConnector({ auth })`. */
export interface AuthStrategy {
  /** `oauth2_client_credentials`, `api_key`, `basic`, `session` or `none`. */
  readonly kind: string;
  /** The secrets the operator must set for this connector (for docs, the admin API and validation). */
  readonly secretNames: readonly string[];
  /** Whether credentials can be renewed (a new token or session) rather than being fixed secrets. */
  readonly renewable: boolean;
  create(context: AuthContext): Authenticator;
}
