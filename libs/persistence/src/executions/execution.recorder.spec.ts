import { randomUUID } from 'node:crypto';
import { type DataSource, type Logger } from 'typeorm';
import { createDataSource } from '../database/create-data-source';
import { createTestDatabase, type TestDatabase } from '../database/create-test-database';
import { ExecutionRecorderOverflowError } from '../persistence.errors';
import { type ExecutionRecord } from './execution-record';
import { ExecutionRecorder, type ExecutionBatchWriter } from './execution.recorder';
import { ExecutionRepository } from './execution.repository';

/** Counts the INSERTs that reach PostgreSQL through TypeORM. */
class InsertCounter implements Logger {
  inserts = 0;
  logQuery(query: string): void {
    if (/^\s*INSERT INTO executions/i.test(query)) this.inserts++;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

function execution(overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    id: randomUUID(),
    flowId: 'clarity-order-created',
    flowVersion: 3,
    eventId: randomUUID(),
    key: 'SO-1',
    status: 'succeeded',
    attempts: 1,
    startedAt: new Date(),
    ...overrides,
  };
}

async function countRows(dataSource: DataSource): Promise<number> {
  const [row] = await dataSource.query<Array<{ count: string }>>('SELECT count(*) FROM executions');
  return Number(row?.count);
}

describe('ExecutionRecorder against PostgreSQL', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let counter: InsertCounter;
  const warnings: object[] = [];
  const logger = { warn: (details: object) => void warnings.push(details) };

  beforeAll(async () => {
    db = await createTestDatabase();
    counter = new InsertCounter();
    dataSource = createDataSource({ url: db.url, schema: db.schema, logger: counter });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });
  beforeEach(async () => {
    await dataSource.query('TRUNCATE executions');
    counter.inserts = 0;
    warnings.length = 0;
  });

  it('writes 1,000 recorded executions with a handful of INSERT statements', async () => {
    const recorder = new ExecutionRecorder(dataSource, {
      flushIntervalMs: 20,
      maxBatch: 500,
      logger,
    });
    for (let i = 0; i < 1000; i++) expect(recorder.record(execution())).toBe(true);
    await recorder.flush();

    expect(await countRows(dataSource)).toBe(1000);
    expect(counter.inserts).toBeGreaterThanOrEqual(2);
    expect(counter.inserts).toBeLessThanOrEqual(5);
    expect(recorder.stats()).toMatchObject({ buffered: 0, writtenRecords: 1000, failedWrites: 0 });
  });

  it('writes on its own after flushIntervalMs, without a flush call', async () => {
    const recorder = new ExecutionRecorder(dataSource, { flushIntervalMs: 10, logger });
    const recorded = execution();
    recorder.record(recorded);
    const repository = new ExecutionRepository(dataSource);
    while ((await repository.get(recorded.id)) === undefined)
      await new Promise((r) => setTimeout(r, 10));
    expect(recorder.stats().buffered).toBe(0);
  });

  it('collapses updates of one execution waiting in the buffer to the latest state', async () => {
    const recorder = new ExecutionRecorder(dataSource, { flushIntervalMs: 10_000, logger });
    const started = execution({ status: 'running', attempts: 1 });
    recorder.record(started);
    recorder.record({
      ...started,
      status: 'retrying',
      attempts: 2,
      errorClass: 'transient:HTTP_503',
    });
    recorder.record({
      ...started,
      status: 'succeeded',
      attempts: 3,
      errorClass: null,
      finishedAt: new Date(started.startedAt.getTime() + 120),
      durationMs: 120,
      trace: [{ step: 'transform', status: 'ok' }],
    });
    expect(recorder.stats().buffered).toBe(1);
    await recorder.flush();

    const stored = await new ExecutionRepository(dataSource).get(started.id);
    expect(stored).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      errorClass: null,
      durationMs: 120,
    });
    expect(stored?.trace).toEqual([{ step: 'transform', status: 'ok' }]);
    expect(counter.inserts).toBe(1);
  });

  it('moves a stored execution on when a later snapshot arrives in another batch', async () => {
    const recorder = new ExecutionRecorder(dataSource, { logger });
    const started = execution({ status: 'running', correlationId: 'corr-1' });
    recorder.record(started);
    await recorder.flush();
    recorder.record({ ...started, status: 'dead_lettered', attempts: 8, correlationId: null });
    await recorder.flush();

    const stored = await new ExecutionRepository(dataSource).get(started.id);
    expect(stored).toMatchObject({ status: 'dead_lettered', attempts: 8, correlationId: 'corr-1' });
    expect(stored?.startedAt.getTime()).toBe(started.startedAt.getTime());
  });

  it('keeps records through a database failure and writes them all once it recovers', async () => {
    const recorder = new ExecutionRecorder(dataSource, {
      flushIntervalMs: 5,
      maxRetryDelayMs: 20,
      logger,
    });
    await dataSource.query('ALTER TABLE executions RENAME TO executions_away');
    try {
      for (let i = 0; i < 100; i++) recorder.record(execution());
      await expect(recorder.flush()).rejects.toThrow(
        /could not write 100 buffered execution records/,
      );
      recorder.record(execution());
      while (recorder.stats().failedWrites < 2) await new Promise((r) => setTimeout(r, 5));
    } finally {
      await dataSource.query('ALTER TABLE executions_away RENAME TO executions');
    }
    await recorder.flush();

    expect(await countRows(dataSource)).toBe(101);
    expect(recorder.stats()).toMatchObject({ buffered: 0, writtenRecords: 101 });
    expect(recorder.stats().failedWrites).toBeGreaterThanOrEqual(2);
    expect(warnings[0]).toMatchObject({ records: 100 });
  });

  it('writes more rows at once than PostgreSQL accepts parameters for, by chunking', async () => {
    const records = Array.from({ length: 5000 }, () => execution());
    await new ExecutionRepository(dataSource).upsertMany(records);
    expect(await countRows(dataSource)).toBe(5000);
    expect(counter.inserts).toBe(2);
  });
});

describe('ExecutionRecorder back-pressure', () => {
  /** A writer that holds every batch until released, like a database that stalls. */
  class StalledWriter implements ExecutionBatchWriter {
    written: ExecutionRecord[] = [];
    private release: (() => void) | undefined;
    private stalled = new Promise<void>((resolve) => (this.release = resolve));
    async upsertMany(records: readonly ExecutionRecord[]): Promise<void> {
      await this.stalled;
      this.written.push(...records);
    }
    resume(): void {
      this.release?.();
    }
  }

  it('signals when the buffer passes the high-water mark and says when it can take more', async () => {
    const writer = new StalledWriter();
    const recorder = new ExecutionRecorder(writer, {
      maxBatch: 10,
      highWaterMark: 50,
      logger: { warn: () => {} },
    });
    let accepted = 0;
    while (recorder.record(execution())) accepted++;
    // The first batch of 10 is in flight; the buffer filled up behind it.
    expect(accepted).toBe(59);

    let writable = false;
    const waiting = recorder.whenWritable().then(() => (writable = true));
    await new Promise((r) => setImmediate(r));
    expect(writable).toBe(false);

    writer.resume();
    await waiting;
    expect(recorder.stats().buffered).toBeLessThanOrEqual(25);
    await recorder.close();
    expect(writer.written).toHaveLength(60);
  });

  it('refuses records past the hard limit instead of growing without bound', () => {
    const recorder = new ExecutionRecorder(new StalledWriter(), {
      maxBatch: 5,
      highWaterMark: 10,
      hardLimit: 20,
      logger: { warn: () => {} },
    });
    const accepted: ExecutionRecord[] = [];
    for (let i = 0; i < 25; i++) accepted.push(execution());
    // 5 go in flight, 20 fill the buffer.
    for (const record of accepted) recorder.record(record);
    expect(() => recorder.record(execution())).toThrow(ExecutionRecorderOverflowError);
    // An update of a buffered execution still fits: it replaces, not adds.
    expect(() => recorder.record({ ...accepted[24]!, status: 'failed' })).not.toThrow();
  });
});
