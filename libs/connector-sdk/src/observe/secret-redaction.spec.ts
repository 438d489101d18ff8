import { Writable } from 'node:stream';

import pino from 'pino';

import { apiKey } from '../auth/api-key.strategy';
import { type AuthStrategy } from '../auth/auth-strategy';
import { basicAuth } from '../auth/basic-auth.strategy';
import { oauth2ClientCredentials } from '../auth/oauth2-client-credentials.strategy';
import { staticSecrets } from '../auth/secret-resolver';
import { sessionLogin } from '../auth/session-login.strategy';
import { defineAction } from '../define/define-action';
import { defineConnector } from '../define/define-connector';
import { type ConnectorInstance, createConnectorInstance } from '../runtime/connector-instance';
import { type LocalServer, sendJson, startLocalServer } from '../test-support/local-server';

const SECRETS = {
  clientId: 'client-4821',
  clientSecret: 'oauth-secret-Zq8rT2',
  apiKey: 'apikey-Hh71LmQ0',
  username: 'ops-user',
  password: 'sess-pw-Yv3$kP&9',
};

/** A remote that accepts anything and, rudely, echoes credentials back in its error bodies. */
async function startLeakyRemote(issued: string[]): Promise<LocalServer> {
  return startLocalServer((request, response) => {
    if (request.path === '/oauth2/token') {
      const token = `tok-${issued.length}-Wq93Lx${Math.random().toString(36).slice(2)}`;
      issued.push(token);
      return sendJson(response, 200, {
        access_token: token,
        token_type: 'Bearer',
        expires_in: 3600,
      });
    }
    if (request.path === '/auth/credentials') {
      const session = `ssid-${issued.length}-Kp20Vn`;
      issued.push(session);
      response.setHeader('set-cookie', [`ss-id=${session}; path=/`, `ss-pid=p${session}; path=/`]);
      return sendJson(response, 200, { SessionId: session });
    }
    if (request.path.startsWith('/echo')) {
      return sendJson(response, 400, {
        message: 'bad request',
        youSent: {
          authorization: request.headers.authorization,
          cookie: request.headers.cookie,
          url: request.path,
        },
        hint: `you sent ${request.headers.authorization ?? request.headers.cookie ?? request.path}`,
      });
    }
    return sendJson(response, 200, {
      balance: 5,
      echo: `${request.path} ${request.headers.authorization ?? ''}`,
    });
  });
}

function leakyConnector(auth: AuthStrategy) {
  return defineConnector({
    id: 'leaky',
    version: '1.0.0',
    sdkVersion: '^1.0.0',
    auth,
    actions: [
      defineAction({
        name: 'getBalance',
        input: { type: 'object' },
        output: { type: 'object' },
        run: async (_input, { http }) =>
          (await http.post('/balance', { note: 'x' }, { idempotent: true })).body,
      }),
      defineAction({
        name: 'echo',
        input: { type: 'object' },
        output: { type: 'object' },
        run: async (_input, { http, secrets }) =>
          (await http.get('/echo', { query: { password: await secrets.get('password') } })).body,
      }),
    ],
    async healthCheck() {},
  });
}

describe('secret redaction', () => {
  it('keeps every secret, token and session id out of the logs, even at trace level with bodies', async () => {
    const issued: string[] = [];
    const remote = await startLeakyRemote(issued);
    let output = '';
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString('utf8');
        done();
      },
    });
    const logger = pino({ level: 'trace' }, capture);
    const strategies = [
      oauth2ClientCredentials({ tokenUrl: '/oauth2/token' }),
      oauth2ClientCredentials({ tokenUrl: `${remote.url}/oauth2/token`, credentialsIn: 'body' }),
      apiKey({ queryParam: 'key' }),
      apiKey(),
      basicAuth({ usernameSecret: 'username', passwordSecret: 'password' }),
      sessionLogin(),
    ];
    const instances: ConnectorInstance[] = strategies.map((auth) =>
      createConnectorInstance(leakyConnector(auth), {
        baseUrl: remote.url,
        secrets: staticSecrets(SECRETS),
        logger,
        http: { logBodies: true, retry: { maxAttempts: 1 } },
      }),
    );
    try {
      for (const instance of instances) {
        await instance.invoke('getBalance', {});
        const failure = await instance.invoke('echo', {}).catch((error: unknown) => error);
        logger.error({ err: failure }, 'action failed'); // as the runtime would log it
      }
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      await remote.close();
    }

    const basic = Buffer.from(`${SECRETS.username}:${SECRETS.password}`).toString('base64');
    const leaks = [
      ...Object.values(SECRETS).filter((value) => value.length >= 4),
      basic,
      ...issued,
    ].filter((secret) =>
      [secret, encodeURIComponent(secret)].some((form) => output.includes(form)),
    );
    expect(issued.length).toBeGreaterThanOrEqual(3);
    expect(leaks).toEqual([]);
    // The logs are still useful: requests, statuses and the redaction marker are there.
    expect(output).toContain('/balance');
    expect(output).toContain('"status":400');
    expect(output).toContain('[REDACTED]');
  });
});
