import { ConnectorError } from '../errors/connector-error';
import { createConnectorInstance, type ConnectorInstance } from '../runtime/connector-instance';
import { balanceConnector } from '../test-support/balance-connector';
import { type LocalServer, sendJson, startLocalServer } from '../test-support/local-server';
import { InMemoryTokenStore } from './in-memory-token-store';
import { oauth2ClientCredentials } from './oauth2-client-credentials.strategy';
import { staticSecrets } from './secret-resolver';

const CLIENT_ID = 'switchboard-client';
const CLIENT_SECRET = 'cs-7f3a9b1e5d';

/** A Payoneer-like pair: a token endpoint (Basic client auth) and an API that checks Bearer tokens. */
async function startAuthorizationServer(): Promise<
  LocalServer & { tokensIssued: () => number; revokeAll: () => void }
> {
  const valid = new Set<string>();
  let issued = 0;
  const server = await startLocalServer((request, response) => {
    if (request.path === '/oauth2/token') {
      const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
      if (
        request.headers.authorization !== expected ||
        !request.body.includes('grant_type=client_credentials')
      ) {
        return sendJson(response, 401, {
          error: 'invalid_client',
          error_description: 'Client authentication failed',
        });
      }
      issued += 1;
      const token = `at-${issued}-${Math.random().toString(36).slice(2)}`;
      valid.add(token);
      return sendJson(response, 200, {
        token_type: 'Bearer',
        access_token: token,
        expires_in: 2_592_000,
        scope: 'read write',
      });
    }
    const bearer = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!valid.has(bearer)) {
      return sendJson(response, 401, {
        error: 'Unauthorized',
        error_description: 'Access token is invalid (expired)',
        error_details: { code: 401, sub_code: 4016 },
      });
    }
    return sendJson(response, 200, { balance: 1250.5 });
  });
  return Object.assign(server, { tokensIssued: () => issued, revokeAll: () => valid.clear() });
}

describe('oauth2ClientCredentials', () => {
  let remote: Awaited<ReturnType<typeof startAuthorizationServer>>;
  const instances: ConnectorInstance[] = [];

  const connect = (
    secrets: Record<string, string>,
    tokenStore = new InMemoryTokenStore(),
  ): ConnectorInstance => {
    const instance = createConnectorInstance(
      balanceConnector(oauth2ClientCredentials({ tokenUrl: '/oauth2/token', scope: 'read write' })),
      {
        baseUrl: remote.url,
        secrets: staticSecrets(secrets),
        tokenStore,
        http: { retry: { maxAttempts: 1 } },
      },
    );
    instances.push(instance);
    return instance;
  };

  beforeEach(async () => {
    remote = await startAuthorizationServer();
  });

  afterEach(async () => {
    await Promise.all(instances.splice(0).map((instance) => instance.close()));
    await remote.close();
  });

  it('obtains one token for 50 concurrent calls', async () => {
    const payoneer = connect({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => payoneer.invoke('getBalance', {})),
    );
    expect(results).toHaveLength(50);
    expect(results.every((result) => (result as { balance: number }).balance === 1250.5)).toBe(
      true,
    );
    expect(remote.tokensIssued()).toBe(1);
  });

  it('renews a rejected token once, however many calls saw the 401, and retries each call', async () => {
    const payoneer = connect({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    await payoneer.invoke('getBalance', {});
    remote.revokeAll();

    const results = await Promise.all(
      Array.from({ length: 50 }, () => payoneer.invoke('getBalance', {})),
    );

    expect(results).toHaveLength(50);
    expect(remote.tokensIssued()).toBe(2);
    const balanceCalls = remote.requests.filter((request) => request.path === '/balance');
    // 1 before the revocation, 50 refused with the old token, 50 retried with the new one.
    expect(balanceCalls).toHaveLength(101);
  });

  it('reuses a token another instance put in the store', async () => {
    const store = new InMemoryTokenStore();
    await connect({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, store).invoke(
      'getBalance',
      {},
    );
    await connect({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, store).invoke(
      'getBalance',
      {},
    );
    expect(remote.tokensIssued()).toBe(1);
  });

  it('reports refused client credentials as a config failure', async () => {
    const payoneer = connect({ clientId: CLIENT_ID, clientSecret: 'wrong' });
    const failure = await payoneer.invoke('getBalance', {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectorError);
    expect(failure).toMatchObject({
      failureType: 'config',
      code: 'TOKEN_REQUEST_REFUSED',
      status: 401,
    });
  });

  it('reports a missing secret as a config failure naming it', async () => {
    const payoneer = connect({ clientId: CLIENT_ID });
    await expect(payoneer.invoke('getBalance', {})).rejects.toMatchObject({
      failureType: 'config',
      code: 'SECRET_MISSING',
      message: 'secret "clientSecret" is not set',
    });
  });

  it('renews on demand (e.g. after a secret rotation)', async () => {
    const payoneer = connect({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    await payoneer.invoke('getBalance', {});
    expect(await payoneer.renewCredentials()).toBe(true);
    expect(remote.tokensIssued()).toBe(2);
  });
});

describe('oauth2ClientCredentials when the token endpoint is down', () => {
  it('fails transient after the token request retries, without blaming or retrying the API host', async () => {
    const login = await startLocalServer((_request, response) =>
      sendJson(response, 503, { error: 'temporarily_unavailable' }),
    );
    const api = await startLocalServer((_request, response) =>
      sendJson(response, 200, { balance: 1 }),
    );
    const payoneer = createConnectorInstance(
      balanceConnector(oauth2ClientCredentials({ tokenUrl: `${login.url}/api/v2/oauth2/token` })),
      {
        baseUrl: api.url,
        secrets: staticSecrets({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
        http: {
          retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
          breaker: { consecutiveFailures: 4, halfOpenAfterMs: 60_000 },
        },
      },
    );
    try {
      await expect(payoneer.invoke('getBalance', {})).rejects.toMatchObject({
        failureType: 'transient',
        status: 503,
      });
      expect(login.requests).toHaveLength(3); // the token request's own tries, not multiplied by the API call's
      // The fourth token failure opens the login host's breaker; the API host is not blamed.
      await expect(payoneer.invoke('getBalance', {})).rejects.toMatchObject({
        failureType: 'transient',
        code: 'CIRCUIT_OPEN',
      });
      expect(login.requests).toHaveLength(4);
      expect(api.requests).toHaveLength(0);
      expect(payoneer.http.breakerState(api.url)).toBe('closed');
      expect(payoneer.http.breakerState(login.url)).toBe('open');
    } finally {
      await payoneer.close();
      await Promise.all([login.close(), api.close()]);
    }
  });
});
