import { type DataSource, type Repository } from 'typeorm';
import { isUuid } from '../database/is-uuid';
import { runSql } from '../database/run-sql';
import { fetchPage, type Page, type PageRequest } from '../pagination';
import { PersistenceInputError } from '../persistence.errors';
import { type ExecutionRecord } from './execution-record';
import { EXECUTION_STATUSES, type ExecutionStatus } from './execution-status';
import { Execution } from './execution.entity';

export interface ExecutionFilter {
  flowId?: string;
  status?: ExecutionStatus | readonly ExecutionStatus[];
  key?: string;
  eventId?: string;
  correlationId?: string;
  /** Started at or after. */
  from?: Date;
  /** Started before. */
  to?: Date;
}

const COLUMNS = [
  'id',
  'flow_id',
  'flow_version',
  'event_id',
  'key',
  'status',
  'attempts',
  'started_at',
  'finished_at',
  'duration_ms',
  'error_class',
  'error_message',
  'trace',
  'correlation_id',
] as const;
const WIDTH = COLUMNS.length;
/** PostgreSQL's bind protocol counts parameters in 16 bits. */
const MAX_PARAMETERS = 65535;
const MAX_ROWS_PER_STATEMENT = Math.floor(MAX_PARAMETERS / WIDTH);

const UPSERT_HEAD = `INSERT INTO executions (${COLUMNS.join(', ')}) VALUES `;
// started_at and the identity columns keep their first value: later snapshots only move the state on.
const UPSERT_TAIL = ` ON CONFLICT (id) DO UPDATE SET
  status = EXCLUDED.status, attempts = EXCLUDED.attempts, finished_at = EXCLUDED.finished_at,
  duration_ms = EXCLUDED.duration_ms, error_class = EXCLUDED.error_class, error_message = EXCLUDED.error_message,
  trace = EXCLUDED.trace, correlation_id = COALESCE(EXCLUDED.correlation_id, executions.correlation_id)`;

/**
 * The idempotency guard's lookup, on every batch of every flow. One index probe per event id
 * (`executions_flow_event_idx`), whatever PostgreSQL knows of the table: the plain form
 * (`flow_id = $1 AND event_id = ANY($2) AND status = 'succeeded'`) is planned, on a table not yet
 * analyzed (a new install, a young schema, autovacuum off), as a scan of every row of the flow
 * filtered by event id, which grew with the table: 16 ms at 22,500 rows (docs/benchmarks.md,
 * finding 20). LIMIT 1 keeps the lateral subquery from being flattened into that scan.
 */
export const SUCCEEDED_AMONG_SQL = `SELECT DISTINCT ids.event_id FROM unnest($2::text[]) AS ids(event_id)
  CROSS JOIN LATERAL (
    SELECT 1 FROM executions e
    WHERE e.flow_id = $1 AND e.event_id = ids.event_id AND e.status = 'succeeded'
    LIMIT 1
  ) AS succeeded`;

/** Reads and writes `executions`: batched upserts for the recorder, filtered pages for operators. */
export class ExecutionRepository {
  private readonly executions: Repository<Execution>;
  private readonly statementByRows = new Map<number, string>();

  constructor(private readonly dataSource: DataSource) {
    this.executions = dataSource.getRepository(Execution);
  }

  /** Inserts or updates many executions, one multi-row statement per chunk; ids must be unique within the call. */
  async upsertMany(records: readonly ExecutionRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += MAX_ROWS_PER_STATEMENT) {
      const end = Math.min(start + MAX_ROWS_PER_STATEMENT, records.length);
      const params: unknown[] = new Array<unknown>((end - start) * WIDTH);
      let p = 0;
      for (let i = start; i < end; i++) {
        const record = records[i] as ExecutionRecord;
        params[p++] = record.id;
        params[p++] = record.flowId;
        params[p++] = record.flowVersion;
        params[p++] = record.eventId;
        params[p++] = record.key ?? null;
        params[p++] = record.status;
        params[p++] = record.attempts;
        params[p++] = record.startedAt;
        params[p++] = record.finishedAt ?? null;
        params[p++] = record.durationMs ?? null;
        params[p++] = record.errorClass ?? null;
        params[p++] = record.errorMessage ?? null;
        // node-postgres would send a JS array as a PostgreSQL array literal, not JSON.
        params[p++] = JSON.stringify(record.trace ?? []);
        params[p++] = record.correlationId ?? null;
      }
      await runSql(this.dataSource, this.upsertStatement(end - start), params);
    }
  }

  /** One execution by id, or undefined. */
  async get(id: string): Promise<Execution | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.executions.findOneBy({ id })) ?? undefined;
  }

  /** True if `flowId` already ran `eventId` to success: redeliveries and replays check this before an effect. */
  async hasSucceeded(flowId: string, eventId: string): Promise<boolean> {
    const { rows } = await runSql(
      this.dataSource,
      `SELECT 1 FROM executions WHERE flow_id = $1 AND event_id = $2 AND status = 'succeeded' LIMIT 1`,
      [flowId, eventId],
    );
    return rows.length > 0;
  }

  /** Which of `eventIds` `flowId` already ran to success: `hasSucceeded` for many events in one query. */
  async succeededAmong(flowId: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const { rows } = await runSql<{ event_id: string }>(this.dataSource, SUCCEEDED_AMONG_SQL, [
      flowId,
      eventIds,
    ]);
    return new Set(rows.map((row) => row.event_id));
  }

  /** Executions matching `filter`, newest first. */
  async list(filter: ExecutionFilter = {}, page: PageRequest = {}): Promise<Page<Execution>> {
    const query = this.executions.createQueryBuilder('e');
    if (filter.flowId !== undefined)
      query.andWhere('e.flowId = :flowId', { flowId: filter.flowId });
    if (filter.status !== undefined) {
      const statuses: readonly string[] =
        typeof filter.status === 'string' ? [filter.status] : filter.status;
      for (const status of statuses) {
        if (!(EXECUTION_STATUSES as readonly string[]).includes(status)) {
          throw new PersistenceInputError(
            `executions filter: status "${status}" is not one of ${EXECUTION_STATUSES.join(', ')}`,
          );
        }
      }
      if (statuses.length === 0) query.andWhere('false');
      else query.andWhere('e.status IN (:...statuses)', { statuses });
    }
    if (filter.key !== undefined) query.andWhere('e.key = :key', { key: filter.key });
    if (filter.eventId !== undefined)
      query.andWhere('e.eventId = :eventId', { eventId: filter.eventId });
    if (filter.correlationId !== undefined) {
      query.andWhere('e.correlationId = :correlationId', { correlationId: filter.correlationId });
    }
    if (filter.from !== undefined) query.andWhere('e.startedAt >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('e.startedAt < :to', { to: filter.to });
    return fetchPage(query, { alias: 'e', at: 'startedAt', id: 'id' }, page, 'executions');
  }

  private upsertStatement(rows: number): string {
    let statement = this.statementByRows.get(rows);
    if (statement === undefined) {
      const tuples: string[] = new Array<string>(rows);
      for (let row = 0; row < rows; row++) {
        const placeholders: string[] = new Array<string>(WIDTH);
        for (let column = 0; column < WIDTH; column++)
          placeholders[column] = `$${row * WIDTH + column + 1}`;
        tuples[row] = `(${placeholders.join(',')})`;
      }
      statement = UPSERT_HEAD + tuples.join(',') + UPSERT_TAIL;
      // Batch sizes cluster around the recorder's maxBatch; keep the cache from growing with rare sizes.
      if (this.statementByRows.size >= 32) this.statementByRows.clear();
      this.statementByRows.set(rows, statement);
    }
    return statement;
  }
}
