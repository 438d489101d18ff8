import {
  createConnectorInstance,
  staticSecrets,
  type ConnectorInstance,
} from '@switchboard/connector-sdk';
import { PayoutGatewayError } from '@switchboard/payouts';
import { startSandbox, type SandboxHandle } from '../../../sandbox/src';
import payoneer from '../../../../connectors/payoneer/payoneer.connector';
import { ConnectorPayoutGateway } from './connector-payout.gateway';

/** The production gateway over the real Payoneer connector, against the sandbox's Payoneer. */
describe('ConnectorPayoutGateway (Payoneer connector → sandbox)', () => {
  let sandbox: SandboxHandle;
  let connector: ConnectorInstance;
  let gateway: ConnectorPayoutGateway;

  const control = async (path: string, body: unknown = {}): Promise<unknown> => {
    const response = await fetch(`${sandbox.urls.control}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path} → ${response.status}: ${await response.text()}`);
    return response.json();
  };

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      seed: 5,
      clock: { start: '2026-03-01T10:00:00Z', frozen: true },
      payoutSettleMs: 1_000,
    });
    connector = createConnectorInstance(payoneer, {
      baseUrl: sandbox.urls.payoneer,
      settings: {
        programId: sandbox.credentials.payoneer.programId,
        accountId: sandbox.credentials.payoneer.accountId,
      },
      secrets: staticSecrets({
        clientId: sandbox.credentials.payoneer.clientId,
        clientSecret: sandbox.credentials.payoneer.clientSecret,
      }),
      http: { retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 5 } },
    });
    gateway = new ConnectorPayoutGateway(
      {
        invoke: (_connectorId, action, input, context) => connector.invoke(action, input, context),
      },
      'payoneer',
    );
    await control('/payoneer/payees', { payeeId: 'PAYEE-OK' });
    await control('/payoneer/payees', { payeeId: 'PAYEE-OFF', status: 'INACTIVE' });
    await control('/payoneer/drain', { currency: 'EUR' });
    await control('/payoneer/fund', { currency: 'EUR', amount: '100.00' });
  });
  afterAll(async () => {
    await connector.close();
    await sandbox.close();
  });

  it('reads the balance of one currency, and 0.00 for a currency the account does not hold', async () => {
    expect(await gateway.getBalance('EUR')).toBe('100.00');
    expect(await gateway.getBalance('JPY')).toBe('0.00');
  });

  it('tells active, inactive and unknown payees apart', async () => {
    expect(await gateway.getPayeeStatus('PAYEE-OK')).toBe('active');
    expect(await gateway.getPayeeStatus('PAYEE-OFF')).toBe('inactive');
    expect(await gateway.getPayeeStatus('PAYEE-NOBODY')).toBe('unknown');
  });

  it('submits, reads statuses (null when unknown) and resends a known reference harmlessly', async () => {
    const item = {
      clientReferenceId: 'GW-1-A1',
      payeeId: 'PAYEE-OK',
      amount: '30.00',
      currency: 'EUR',
      description: 'gateway test',
    };
    await gateway.submit([item]);
    expect(await gateway.getStatus('GW-1-A1')).toMatchObject({
      status: 'pending',
      rawStatus: 'Pending',
    });
    expect(await gateway.getStatus('GW-NEVER-A1')).toBeNull();
    await gateway.submit([item, { ...item, clientReferenceId: 'GW-2-A1', amount: '10.00' }]);
    expect(await gateway.getBalance('EUR')).toBe('60.00');
  });

  it('classifies insufficient funds and rate limits that outlast the connector retries', async () => {
    const refused = gateway.submit([
      {
        clientReferenceId: 'GW-3-A1',
        payeeId: 'PAYEE-OK',
        amount: '500.00',
        currency: 'EUR',
        description: 'too much',
      },
    ]);
    await expect(refused).rejects.toMatchObject({
      name: 'PayoutGatewayError',
      failure: 'insufficient_funds',
      details: { currency: 'EUR' },
    });
    await control('/faults', {
      system: 'payoneer',
      route: 'GET /v4/accounts/:accountId/balances',
      kind: '429',
      count: 5,
      retryAfterSeconds: 0,
    });
    const limited = gateway.getBalance('EUR');
    await expect(limited).rejects.toBeInstanceOf(PayoutGatewayError);
    await expect(limited).rejects.toMatchObject({ failure: 'rate_limited' });
  });
});
