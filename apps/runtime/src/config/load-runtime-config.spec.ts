import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuntimeConfig, RuntimeConfigError } from './load-runtime-config';

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sb-config-')), 'runtime.yaml');
  writeFileSync(file, text);
  return file;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof RuntimeConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a RuntimeConfigError');
}

describe('loadRuntimeConfig', () => {
  it('fills defaults for settings the file leaves out', () => {
    const config = loadRuntimeConfig(configFile('server:\n  port: 4000\n'), {});
    expect(config.server.port).toBe(4000);
    expect(config.bus.transport).toBe('memory');
    expect(config.executions.maxBatch).toBe(500);
  });

  it('names the file, line and path of a bad setting', () => {
    const file = configFile('mode: demo\nserver:\n  host: 127.0.0.1\n  port: 99999\n');
    expect(problemsOf(() => loadRuntimeConfig(file, {}))).toEqual([
      `${file}:4 server.port: port must not be greater than 65535`,
    ]);
  });

  it('reads the payouts section and names each bad payout setting', () => {
    const good = loadRuntimeConfig(configFile('payouts:\n  enabled: true\n  account: "100000001"\n  chunkSize: 25\n  adminApprovalAbove: { EUR: "10000.00" }\n  schedule: { processQueuesMs: 500 }\n'), {});
    expect(good.payouts).toMatchObject({ enabled: true, account: '100000001', chunkSize: 25, statusPollConcurrency: 4, adminApprovalAbove: { EUR: '10000.00' }, schedule: { processQueuesMs: 500, pollStatusesMs: 60_000 } });
    const file = configFile('payouts:\n  enabled: true\n  chunkSize: 900\n  supportedCurrencies: [EUR, euro]\n  adminApprovalAbove: { EUR: 10000, usd: "1" }\n  schedule: { pollStatusMs: 5 }\n  statusPollConcurrency: 0\n');
    expect(problemsOf(() => loadRuntimeConfig(file, {}))).toEqual([
      `${file}:3 payouts.chunkSize: chunkSize must not be greater than 500`,
      `${file}:4 payouts.supportedCurrencies: supportedCurrencies must be ISO-4217 codes (e.g. EUR)`,
      `${file}:7 payouts.statusPollConcurrency: statusPollConcurrency must not be less than 1`,
      `${file}:6 payouts.schedule.pollStatusMs: unknown setting`,
      'payouts.account: required when payouts.enabled is true (the Payoneer program id the queues pay from)',
      'payouts.adminApprovalAbove.EUR: must be a decimal string such as "10000.00", got 10000',
      'payouts.adminApprovalAbove.usd: not an ISO-4217 currency code',
    ]);
  });

  it('runs 16 keys of a partition side by side unless told otherwise, and bounds worker.keyConcurrency to 1..256', () => {
    expect(loadRuntimeConfig(configFile('mode: demo\n'), {}).worker.keyConcurrency).toBe(16);
    expect(loadRuntimeConfig(configFile('worker:\n  keyConcurrency: 1\n'), {}).worker.keyConcurrency).toBe(1);
    for (const bad of ['0', '257', '2.5']) {
      const file = configFile(`worker:\n  keyConcurrency: ${bad}\n`);
      expect(problemsOf(() => loadRuntimeConfig(file, {}))).toEqual([
        `${file}:2 worker.keyConcurrency: keyConcurrency must be a whole number from 1 to 256`,
      ]);
    }
  });

  it('bounds the memory bus backlog per partition (bus.memory.maxBacklogPerPartition, default 2500)', () => {
    expect(loadRuntimeConfig(configFile('mode: demo\n'), {}).bus.memory.maxBacklogPerPartition).toBe(2500);
    for (const bad of ['0', '1.5']) {
      const file = configFile(`bus:\n  memory:\n    maxBacklogPerPartition: ${bad}\n`);
      expect(problemsOf(() => loadRuntimeConfig(file, {}))).toEqual([
        `${file}:3 bus.memory.maxBacklogPerPartition: maxBacklogPerPartition must be a whole number from 1 to 1000000`,
      ]);
    }
  });

  it('refuses unknown settings so a typo is not silently ignored', () => {
    const file = configFile('server:\n  prot: 3000\n');
    expect(problemsOf(() => loadRuntimeConfig(file, {}))).toEqual([
      `${file}:2 server.prot: unknown setting`,
    ]);
  });

  it('lets the environment override, and blames the variable when it is wrong', () => {
    const file = configFile('server:\n  port: 3000\n');
    expect(loadRuntimeConfig(file, { SB_PORT: '3100' }).server.port).toBe(3100);
    expect(problemsOf(() => loadRuntimeConfig(file, { SB_PORT: 'abc' }))[0]).toMatch(
      /^env SB_PORT \(server.port\): /,
    );
  });

  it('switches to the kafka transport when KAFKA_BROKERS is set', () => {
    const config = loadRuntimeConfig(undefined, {
      KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
    });
    expect(config.bus.transport).toBe('kafka');
    expect(config.bus.kafka.brokers).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
  });

  it('requires a master key in production mode, and checks its length', () => {
    expect(problemsOf(() => loadRuntimeConfig(undefined, { SB_MODE: 'production' }))).toEqual([
      expect.stringMatching(/^env SB_MASTER_KEY: required in production mode/),
    ]);
    expect(problemsOf(() => loadRuntimeConfig(undefined, { SB_MASTER_KEY: 'c2hvcnQ=' }))).toEqual([
      expect.stringMatching(/^env SB_MASTER_KEY: must be 32 bytes/),
    ]);
  });

  it('reports a YAML syntax error with its line', () => {
    const file = configFile('server:\n  port: [3000\n');
    expect(problemsOf(() => loadRuntimeConfig(file, {}))[0]).toMatch(new RegExp(`^${file}:\\d+ `));
  });
  it('reads the reconciliation section and passes thresholds through to the engine', () => {
    const file = configFile(
      'reconciliation:\n  enabled: true\n  autoPostThreshold: 0.85\n  sweepIntervalMs: 60000\n  accounts:\n    adjustments: Write Off - SDM\n',
    );
    const config = loadRuntimeConfig(file, {});
    expect(config.reconciliation.enabled).toBe(true);
    expect(config.reconciliation.autoPostThreshold).toBe(0.85);
    expect(config.reconciliation.accounts.cash).toBe('@payoneerClearing');
    expect(config.reconciliation.accounts.adjustments).toBe('Write Off - SDM');
  });

  it('names reconciliation settings the engine refuses, with the line of the section', () => {
    const file = configFile(
      'mode: demo\nreconciliation:\n  autoPostThreshold: 0.5\n  reviewThreshold: 0.7\n',
    );
    expect(problemsOf(() => loadRuntimeConfig(file, {}))).toEqual([
      `${file}:2 reconciliation: reconciliation config reviewThreshold (0.7) must not exceed autoPostThreshold (0.5)`,
    ]);
    const typo = configFile('reconciliation:\n  sweepIntervalMs: -1\n  acounts: {}\n');
    expect(problemsOf(() => loadRuntimeConfig(typo, {})).sort()).toEqual([
      `${typo}:2 reconciliation.sweepIntervalMs: sweepIntervalMs must not be less than 0`,
      `${typo}:3 reconciliation.acounts: unknown setting`,
    ]);
  });
});
