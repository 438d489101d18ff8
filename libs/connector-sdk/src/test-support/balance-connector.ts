import { type AuthStrategy } from '../auth/auth-strategy';
import { defineAction } from '../define/define-action';
import { type ConnectorDefinition, defineConnector } from '../define/define-connector';

/** A minimal connector around `GET /balance`, to exercise auth strategies end to end. */
export function balanceConnector(auth: AuthStrategy): ConnectorDefinition {
  return defineConnector({
    id: 'balance-test',
    version: '1.0.0',
    sdkVersion: '^1.0.0',
    auth,
    actions: [
      defineAction<Record<string, never>, { balance: number }>({
        name: 'getBalance',
        input: { type: 'object' },
        output: {
          type: 'object',
          required: ['balance'],
          properties: { balance: { type: 'number' } },
        },
        async run(_input, { http }) {
          return (await http.get<{ balance: number }>('/balance')).body;
        },
      }),
    ],
    async healthCheck({ http }) {
      await http.get('/balance');
    },
  });
}
