import { type ConnectorInstance, createConnectorInstance } from '../runtime/connector-instance';
import { type AuthStrategy } from './auth-strategy';
import { balanceConnector } from '../test-support/balance-connector';
import {
  type LocalServer,
  type RecordedRequest,
  sendJson,
  startLocalServer,
} from '../test-support/local-server';
import { apiKey } from './api-key.strategy';
import { basicAuth } from './basic-auth.strategy';
import { noAuth } from './no-auth.strategy';
import { staticSecrets } from './secret-resolver';

describe('fixed-secret strategies', () => {
  let remote: LocalServer;
  let instance: ConnectorInstance | undefined;

  beforeEach(async () => {
    remote = await startLocalServer((_request, response) =>
      sendJson(response, 200, { balance: 1 }),
    );
  });

  afterEach(async () => {
    await instance?.close();
    await remote.close();
  });

  async function firstRequest(
    auth: AuthStrategy,
    secrets: Record<string, string>,
  ): Promise<RecordedRequest> {
    instance = createConnectorInstance(balanceConnector(auth), {
      baseUrl: remote.url,
      secrets: staticSecrets(secrets),
    });
    await instance.invoke('getBalance', {});
    return remote.requests[0]!;
  }

  it('apiKey sends the key in X-Api-Key by default', async () => {
    const request = await firstRequest(apiKey(), { apiKey: 'k-123456' });
    expect(request.headers['x-api-key']).toBe('k-123456');
  });

  it('apiKey formats several secrets into one header (ERPNext token auth)', async () => {
    const auth = apiKey({
      header: 'Authorization',
      secretNames: ['apiKey', 'apiSecret'],
      format: ({ apiKey: key, apiSecret }) => `token ${key}:${apiSecret}`,
    });
    const request = await firstRequest(auth, { apiKey: 'key1', apiSecret: 'sec2' });
    expect(request.headers.authorization).toBe('token key1:sec2');
  });

  it('apiKey can use a query parameter', async () => {
    const request = await firstRequest(apiKey({ queryParam: 'api_key' }), { apiKey: 'k-123456' });
    expect(request.path).toBe('/balance?api_key=k-123456');
    expect(request.headers['x-api-key']).toBeUndefined();
  });

  it('basicAuth sends username and password', async () => {
    const request = await firstRequest(basicAuth(), { username: 'erp', password: 'p@ss' });
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from('erp:p@ss').toString('base64')}`,
    );
  });

  it('noAuth sends no credentials, and none of them renew', async () => {
    const request = await firstRequest(noAuth(), {});
    expect(request.headers.authorization).toBeUndefined();
    expect(await instance!.renewCredentials()).toBe(false);
  });
});
