import {
  AuditLogRepository,
  createDataSource,
  createTestDatabase,
  PayoutRepository,
  type TestDatabase,
} from '@switchboard/persistence';
import { type DataSource } from 'typeorm';
import { startSandbox, type SandboxHandle } from '../../../../apps/sandbox/src';
import { createPayoutServices, type PayoutServices } from '../create-payout-services';
import { type PayoutGateway } from '../payout-gateway.port';
import { type PayoutsOptions } from '../payouts.options';
import { RecordingAlertSink } from './recording-alert.sink';
import { SandboxPayoutGateway } from './sandbox-payout.gateway';
import { TablePayeeResolver } from './table-payee.resolver';

/** A payout service "instance": its own connection pool and gateway, as one runtime process would have. */
export interface PayoutInstance extends PayoutServices {
  dataSource: DataSource;
  repository: PayoutRepository;
  gateway: PayoutGateway;
}

/** Real PostgreSQL + the real sandbox over HTTP, with helpers to drive the sandbox's control API. */
export interface PayoutTestBed {
  sandbox: SandboxHandle;
  database: TestDatabase;
  alerts: RecordingAlertSink;
  payees: TablePayeeResolver;
  /** Services on the test database's own pool. */
  instance: PayoutInstance;
  /** Another instance on a fresh pool (e.g. the one that takes over after a crash). */
  startInstance(
    wrapGateway?: (gateway: PayoutGateway) => PayoutGateway,
    options?: Partial<PayoutsOptions>,
  ): Promise<PayoutInstance>;
  newGateway(): SandboxPayoutGateway;
  /** POSTs (or sends `method`) to `/_sandbox<path>` and returns the JSON answer; throws on non-2xx. */
  control(path: string, body?: unknown, method?: string): Promise<unknown>;
  close(): Promise<void>;
}

/** Starts the sandbox (frozen clock) and a migrated test schema, and wires payout services over them. */
export async function startPayoutTestBed(
  options: Partial<PayoutsOptions> & { initialBalances?: Record<string, string> } = {},
): Promise<PayoutTestBed> {
  const { initialBalances, ...payoutOptions } = options;
  const sandbox = await startSandbox({
    port: 0,
    seed: 7,
    clock: { start: '2026-03-01T10:00:00Z', frozen: true },
    payoutSettleMs: 5_000,
    initialBalances,
  });
  const database = await createTestDatabase();
  const alerts = new RecordingAlertSink();
  const payees = new TablePayeeResolver();
  const extraSources: DataSource[] = [];
  const newGateway = () =>
    new SandboxPayoutGateway({
      baseUrl: sandbox.urls.payoneer,
      clientId: sandbox.credentials.payoneer.clientId,
      clientSecret: sandbox.credentials.payoneer.clientSecret,
      programId: sandbox.credentials.payoneer.programId,
      accountId: sandbox.credentials.payoneer.accountId,
    });
  const build = (
    dataSource: DataSource,
    gateway: PayoutGateway,
    overrides: Partial<PayoutsOptions> = {},
  ): PayoutInstance => {
    const repository = new PayoutRepository(dataSource);
    const services = createPayoutServices(
      { repository, audit: new AuditLogRepository(dataSource), gateway, alerts, payees },
      {
        account: sandbox.credentials.payoneer.programId,
        recoverSubmittedAfterMs: 0,
        statusPollAfterMs: 0,
        retry: { maxAttempts: 10, initialDelayMs: 20, maxDelayMs: 2_000 },
        ...payoutOptions,
        ...overrides,
      },
    );
    return { ...services, dataSource, repository, gateway };
  };
  const control = async (path: string, body: unknown = {}, method = 'POST'): Promise<unknown> => {
    const response = await fetch(`${sandbox.urls.control}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox ${method} ${path} → ${response.status}: ${text}`);
    return text === '' ? null : (JSON.parse(text) as unknown);
  };
  return {
    sandbox,
    database,
    alerts,
    payees,
    instance: build(database.dataSource, newGateway()),
    startInstance: async (wrapGateway = (gateway) => gateway, overrides = {}) => {
      const dataSource = createDataSource({
        url: database.url,
        schema: database.schema,
        poolSize: 3,
      });
      await dataSource.initialize();
      extraSources.push(dataSource);
      return build(dataSource, wrapGateway(newGateway()), overrides);
    },
    newGateway,
    control,
    close: async () => {
      await Promise.all(
        extraSources.filter((source) => source.isInitialized).map((source) => source.destroy()),
      );
      await database.drop();
      await sandbox.close();
    },
  };
}
