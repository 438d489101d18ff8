import { type ConnectorInstance, createConnectorInstance } from '../runtime/connector-instance';
import { balanceConnector } from '../test-support/balance-connector';
import { type LocalServer, sendJson, startLocalServer } from '../test-support/local-server';
import { staticSecrets } from './secret-resolver';
import { sessionLogin } from './session-login.strategy';

/** A ServiceStack-like API: `POST /auth/credentials` sets ss-id/ss-pid; other routes need them. */
async function startServiceStack(): Promise<
  LocalServer & { logins: () => number; expireSessions: () => void }
> {
  const sessions = new Set<string>();
  let logins = 0;
  const server = await startLocalServer((request, response) => {
    if (request.method === 'POST' && request.path === '/api/auth/credentials') {
      const body = JSON.parse(request.body) as { UserName?: string; Password?: string };
      if (body.UserName !== 'merchant' || body.Password !== 'pa55-w0rd!') {
        return sendJson(response, 401, {
          ResponseStatus: { ErrorCode: 'Unauthorized', Message: 'Invalid UserName or Password' },
        });
      }
      logins += 1;
      const id = `sess${logins}x${Math.random().toString(36).slice(2)}`;
      sessions.add(id);
      response.setHeader('set-cookie', [
        `ss-id=${id}; path=/; HttpOnly`,
        `ss-pid=p${id}; path=/; expires=Fri, 01 Jan 2100 00:00:00 GMT`,
        'other=1',
      ]);
      return sendJson(response, 200, { SessionId: id, UserName: 'merchant' });
    }
    const cookie = request.headers.cookie ?? '';
    const id = /ss-id=([^;]+)/.exec(cookie)?.[1];
    if (
      id === undefined ||
      !sessions.has(id) ||
      !cookie.includes(`ss-pid=p${id}`) ||
      cookie.includes('other=')
    ) {
      return sendJson(response, 401, { ResponseStatus: { ErrorCode: 'Unauthorized' } });
    }
    return sendJson(response, 200, { balance: 99 });
  });
  return Object.assign(server, { logins: () => logins, expireSessions: () => sessions.clear() });
}

describe('sessionLogin', () => {
  let remote: Awaited<ReturnType<typeof startServiceStack>>;
  const instances: ConnectorInstance[] = [];
  const connect = (password: string): ConnectorInstance => {
    const instance = createConnectorInstance(balanceConnector(sessionLogin()), {
      baseUrl: `${remote.url}/api`,
      secrets: staticSecrets({ username: 'merchant', password }),
      http: { retry: { maxAttempts: 1 } },
    });
    instances.push(instance);
    return instance;
  };

  beforeEach(async () => {
    remote = await startServiceStack();
  });

  afterEach(async () => {
    await Promise.all(instances.splice(0).map((instance) => instance.close()));
    await remote.close();
  });

  it('logs in once and reuses the ss-id/ss-pid cookies', async () => {
    const clarity = connect('pa55-w0rd!');
    await Promise.all(Array.from({ length: 20 }, () => clarity.invoke('getBalance', {})));
    await clarity.invoke('getBalance', {});
    expect(remote.logins()).toBe(1);
  });

  it('logs in again once when the session expired, and retries the calls that saw the 401', async () => {
    const clarity = connect('pa55-w0rd!');
    await clarity.invoke('getBalance', {});
    remote.expireSessions();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => clarity.invoke('getBalance', {})),
    );
    expect(results).toEqual(Array.from({ length: 20 }, () => ({ balance: 99 })));
    expect(remote.logins()).toBe(2);
  });

  it('reports a refused login as a config failure', async () => {
    await expect(connect('wrong').invoke('getBalance', {})).rejects.toMatchObject({
      failureType: 'config',
      code: 'LOGIN_REFUSED',
      status: 401,
    });
  });
});
