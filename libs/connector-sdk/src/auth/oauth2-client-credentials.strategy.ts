import { createHash } from 'node:crypto';

import { type ConnectorSettings } from '../define/connector-context';
import { ConnectorError, isConnectorError } from '../errors/connector-error';
import { type AuthContext, type AuthStrategy, type Authenticator } from './auth-strategy';
import { credentialFingerprint } from './credential-fingerprint';
import { reportCredential } from './report-credential';
import { TokenManager } from './token-manager';
import { type CachedToken } from './token-store';

export interface OAuth2ClientCredentialsOptions {
  /** Token endpoint: absolute, a path on the connector's base URL, or computed from the settings. */
  tokenUrl: string | ((settings: ConnectorSettings) => string);
  /** Default `clientId`. */
  clientIdSecret?: string;
  /** Default `clientSecret`. */
  clientSecretSecret?: string;
  scope?: string;
  /** `header` (default): HTTP Basic with id:secret; `body`: client_id/client_secret form fields. */
  credentialsIn?: 'header' | 'body';
  /** Default 60 s. */
  refreshBeforeExpiryMs?: number;
  /** Used when the token answer has no `expires_in`. Default 1 h. */
  defaultLifetimeMs?: number;
}

interface TokenAnswer {
  access_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
  scope?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/** OAuth2 client credentials grant, with one shared token manager per connector instance. */
export function oauth2ClientCredentials(options: OAuth2ClientCredentialsOptions): AuthStrategy {
  const clientIdSecret = options.clientIdSecret ?? 'clientId';
  const clientSecretSecret = options.clientSecretSecret ?? 'clientSecret';
  return {
    kind: 'oauth2_client_credentials',
    secretNames: [clientIdSecret, clientSecretSecret],
    renewable: true,
    create(context: AuthContext): Authenticator {
      const tokenUrl =
        typeof options.tokenUrl === 'function'
          ? options.tokenUrl(context.settings)
          : options.tokenUrl;
      let manager: TokenManager | undefined;
      const tokens = async (): Promise<TokenManager> => {
        if (manager !== undefined) return manager;
        const clientId = await context.secrets.get(clientIdSecret);
        const keyParts = [context.connectorId, tokenUrl, clientId, options.scope ?? ''].join('\n');
        manager ??= new TokenManager({
          key: `oauth2:${context.connectorId}:${createHash('sha256').update(keyParts).digest('hex').slice(0, 24)}`,
          store: context.tokenStore,
          obtain: () =>
            reportCredential(context, 'oauth2_client_credentials', () =>
              requestToken(context, tokenUrl, clientIdSecret, clientSecretSecret, options),
            ),
          refreshBeforeExpiryMs: options.refreshBeforeExpiryMs,
          now: context.now,
          logger: context.logger,
        });
        return manager;
      };
      return {
        async apply(request) {
          const token = await (await tokens()).token();
          context.redactor.add(token.accessToken);
          request.headers['authorization'] = `Bearer ${token.accessToken}`;
          return credentialFingerprint(token.accessToken);
        },
        async renew(rejected) {
          const manager = await tokens();
          const before = await manager.token();
          const rejectedToken =
            rejected !== undefined &&
            credentialFingerprint(before.accessToken).fingerprint !== rejected.fingerprint
              ? undefined
              : before.accessToken;
          if (rejectedToken === undefined) return true; // someone already renewed it
          const renewed = await manager.renew(rejectedToken);
          return renewed.accessToken !== rejectedToken;
        },
      };
    },
  };
}

async function requestToken(
  context: AuthContext,
  tokenUrl: string,
  clientIdSecret: string,
  clientSecretSecret: string,
  options: OAuth2ClientCredentialsOptions,
): Promise<CachedToken> {
  const clientId = await context.secrets.get(clientIdSecret);
  const clientSecret = await context.secrets.get(clientSecretSecret);
  const form: Record<string, string> = { grant_type: 'client_credentials' };
  if (options.scope !== undefined) form['scope'] = options.scope;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.credentialsIn === 'body') {
    form['client_id'] = clientId;
    form['client_secret'] = clientSecret;
  } else {
    const basic = Buffer.from(
      `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
    ).toString('base64');
    context.redactor.add(basic);
    headers['authorization'] = `Basic ${basic}`;
  }
  const requestedAt = context.now();
  let answer: TokenAnswer;
  try {
    const response = await context.transport.request<TokenAnswer>({
      method: 'POST',
      path: tokenUrl,
      form,
      headers,
      // Asking for a token twice has no effect beyond a second token.
      idempotent: true,
      responseType: 'json',
    });
    answer = response.body;
  } catch (error) {
    if (
      isConnectorError(error) &&
      error.status !== undefined &&
      error.status >= 400 &&
      error.status < 500 &&
      error.status !== 429
    ) {
      throw new ConnectorError(
        'config',
        `OAuth2 token endpoint refused the client credentials: ${error.message}`,
        {
          code: 'TOKEN_REQUEST_REFUSED',
          status: error.status,
          cause: error,
        },
      );
    }
    throw error;
  }
  if (
    typeof answer !== 'object' ||
    answer === null ||
    typeof answer.access_token !== 'string' ||
    answer.access_token === ''
  ) {
    throw new ConnectorError(
      'config',
      `OAuth2 token endpoint ${tokenUrl} answered without an access_token`,
      {
        code: 'TOKEN_ANSWER_INVALID',
      },
    );
  }
  context.redactor.add(answer.access_token);
  const expiresInSeconds = Number(answer.expires_in);
  const lifetimeMs =
    Number.isFinite(expiresInSeconds) && expiresInSeconds > 0
      ? expiresInSeconds * 1000
      : (options.defaultLifetimeMs ?? 3_600_000);
  return {
    accessToken: answer.access_token,
    expiresAt: requestedAt + lifetimeMs,
    tokenType: typeof answer.token_type === 'string' ? answer.token_type : 'Bearer',
    ...(typeof answer.scope === 'string' ? { scope: answer.scope } : {}),
  };
}
