import { createHash } from 'node:crypto';

import { ConnectorError, isConnectorError } from '../errors/connector-error';
import { type AuthContext, type AuthStrategy, type Authenticator } from './auth-strategy';
import { credentialFingerprint } from './credential-fingerprint';
import { reportCredential } from './report-credential';
import { TokenManager } from './token-manager';
import { type CachedToken } from './token-store';

export interface SessionLoginOptions {
  /** Login endpoint, a path on the base URL or absolute. Default ServiceStack's `/auth/credentials`. */
  loginPath?: string;
  /** Default `username`. */
  usernameSecret?: string;
  /** Default `password`. */
  passwordSecret?: string;
  /** JSON login body. Default ServiceStack's `{ UserName, Password, RememberMe: true }`. */
  body?: (credentials: { username: string; password: string }) => Record<string, unknown>;
  /** Session cookies to keep and send back. Default ServiceStack's `ss-id` and `ss-pid`. */
  cookieNames?: string[];
  /** How long a session is reused before logging in again (a 401 also triggers re-login). Default 30 min. */
  sessionTtlMs?: number;
}

/**
 * Cookie session login (Clarity's ServiceStack `POST /auth/credentials`, ERPNext's
 * `/api/method/login`): log in once, reuse the session cookies, log in again on 401.
 */
export function sessionLogin(options: SessionLoginOptions = {}): AuthStrategy {
  const usernameSecret = options.usernameSecret ?? 'username';
  const passwordSecret = options.passwordSecret ?? 'password';
  const loginPath = options.loginPath ?? '/auth/credentials';
  const cookieNames = options.cookieNames ?? ['ss-id', 'ss-pid'];
  const body =
    options.body ??
    (({ username, password }) => ({ UserName: username, Password: password, RememberMe: true }));
  return {
    kind: 'session',
    secretNames: [usernameSecret, passwordSecret],
    renewable: true,
    create(context: AuthContext): Authenticator {
      let manager: TokenManager | undefined;
      const sessions = async (): Promise<TokenManager> => {
        if (manager !== undefined) return manager;
        const username = await context.secrets.get(usernameSecret);
        manager ??= new TokenManager({
          key: `session:${context.connectorId}:${createHash('sha256').update(`${loginPath}\n${username}`).digest('hex').slice(0, 24)}`,
          store: context.tokenStore,
          obtain: () =>
            reportCredential(context, 'session', () =>
              logIn(context, loginPath, body, cookieNames, usernameSecret, passwordSecret, options),
            ),
          // Sessions have no announced expiry: the TTL is ours, so no early-refresh margin is needed.
          refreshBeforeExpiryMs: 0,
          now: context.now,
          logger: context.logger,
        });
        return manager;
      };
      return {
        async apply(request) {
          const session = await (await sessions()).token();
          context.redactor.add(session.accessToken);
          request.headers['cookie'] = session.accessToken;
          return credentialFingerprint(session.accessToken);
        },
        async renew(rejected) {
          const manager = await sessions();
          const current = await manager.token();
          if (
            rejected !== undefined &&
            credentialFingerprint(current.accessToken).fingerprint !== rejected.fingerprint
          )
            return true;
          const renewed = await manager.renew(current.accessToken);
          return renewed.accessToken !== current.accessToken;
        },
      };
    },
  };
}

async function logIn(
  context: AuthContext,
  loginPath: string,
  body: (credentials: { username: string; password: string }) => Record<string, unknown>,
  cookieNames: readonly string[],
  usernameSecret: string,
  passwordSecret: string,
  options: SessionLoginOptions,
): Promise<CachedToken> {
  const username = await context.secrets.get(usernameSecret);
  const password = await context.secrets.get(passwordSecret);
  const loggedInAt = context.now();
  let setCookie: string | string[] | undefined;
  try {
    const response = await context.transport.request({
      method: 'POST',
      path: loginPath,
      json: body({ username, password }),
      headers: { accept: 'application/json' },
      idempotent: true,
    });
    setCookie = response.headers['set-cookie'];
  } catch (error) {
    if (
      isConnectorError(error) &&
      (error.status === 400 || error.status === 401 || error.status === 403)
    ) {
      throw new ConnectorError(
        'config',
        `session login at ${loginPath} was refused: check the username and password secrets`,
        {
          code: 'LOGIN_REFUSED',
          status: error.status,
          cause: error,
        },
      );
    }
    throw error;
  }
  const cookies = new Map<string, string>();
  for (const line of Array.isArray(setCookie)
    ? setCookie
    : setCookie === undefined
      ? []
      : [setCookie]) {
    const pair = line.split(';', 1)[0] ?? '';
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const name = pair.slice(0, separator).trim();
    if (cookieNames.includes(name)) cookies.set(name, pair.slice(separator + 1).trim());
  }
  if (cookies.size === 0) {
    throw new ConnectorError(
      'config',
      `session login at ${loginPath} set none of the cookies ${cookieNames.join(', ')}`,
      {
        code: 'LOGIN_WITHOUT_SESSION',
      },
    );
  }
  for (const value of cookies.values()) context.redactor.add(value);
  return {
    accessToken: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    expiresAt: loggedInAt + (options.sessionTtlMs ?? 30 * 60_000),
    tokenType: 'cookie',
  };
}
