import { type DataSource } from 'typeorm';
import { runSql } from '../database/run-sql';
import { PersistenceInputError } from '../persistence.errors';

/** A fee as the ledger keeps it (amounts as decimal strings in the currency charged). */
export interface FeeRecord {
  /** The fee's own id, e.g. payoneer / TX-88213:fee. */
  source: string;
  sourceId: string;
  /** The record the fee was charged on. */
  record: { type: string; source: string; sourceId: string };
  kind?: string;
  amount: string;
  currency: string;
  description?: string;
  occurredAt: Date;
}

export interface FeeFilter {
  from?: Date;
  to?: Date;
  currency?: string;
}

/** Fees summed for one UTC day and currency. */
export interface FeeDayTotal {
  /** YYYY-MM-DD (UTC). */
  day: string;
  currency: string;
  /** Decimal string. */
  amount: string;
  count: number;
}

interface FeeRow {
  source: string;
  source_id: string;
  record_type: string;
  record_source: string;
  record_id: string;
  kind: string | null;
  amount: string;
  currency: string;
  description: string | null;
  occurred_at: Date;
}

const CURRENCY = /^[A-Z]{3}$/;
const AMOUNT = /^\d{1,15}(\.\d{1,4})?$/;
const COLUMNS = `source, source_id, record_type, record_source, record_id, kind, amount::text AS amount,
  currency, description, occurred_at`;

/** The fee ledger: each fee stored once by its id, summed per day and currency for finance. */
export class FeeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores fees not seen before (by source + id) in one statement; returns how many were new. */
  async record(fees: readonly FeeRecord[]): Promise<number> {
    if (fees.length === 0) return 0;
    fees.forEach(checkFee);
    const params: unknown[] = [];
    const values = fees.map((fee) => {
      const base = params.length;
      params.push(
        fee.source,
        fee.sourceId,
        fee.record.type,
        fee.record.source,
        fee.record.sourceId,
      );
      params.push(
        fee.kind ?? null,
        fee.amount,
        fee.currency,
        fee.description ?? null,
        fee.occurredAt,
      );
      return `(${Array.from({ length: 10 }, (_, index) => `$${base + index + 1}`).join(', ')})`;
    });
    const { affected } = await runSql(
      this.dataSource,
      `INSERT INTO fees (source, source_id, record_type, record_source, record_id, kind, amount, currency, description, occurred_at)
       VALUES ${values.join(', ')} ON CONFLICT (source, source_id) DO NOTHING`,
      params,
    );
    return affected;
  }

  /** Fees newest first, with the total across pages. */
  async list(
    filter: FeeFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: FeeRecord[]; total: number }> {
    const { where, params } = whereClause(filter);
    const [{ rows }, { rows: counted }] = await Promise.all([
      runSql<FeeRow>(
        this.dataSource,
        `SELECT ${COLUMNS} FROM fees ${where} ORDER BY occurred_at DESC, source_id DESC
          LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, page.limit, page.offset],
      ),
      runSql<{ total: number }>(
        this.dataSource,
        `SELECT count(*)::int AS total FROM fees ${where}`,
        params,
      ),
    ]);
    return { items: rows.map(toRecord), total: counted[0]?.total ?? 0 };
  }

  /** Sums per UTC day and currency over [from, to), oldest day first. */
  async totalsByDay(filter: FeeFilter): Promise<FeeDayTotal[]> {
    const { where, params } = whereClause(filter);
    const { rows } = await runSql<FeeDayTotal>(
      this.dataSource,
      `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, currency,
              sum(amount)::text AS amount, count(*)::int AS count
         FROM fees ${where}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    return rows.map((row) => ({ ...row, amount: trimDecimal(row.amount) }));
  }
}

function whereClause(filter: FeeFilter): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.from !== undefined) conditions.push(`occurred_at >= $${params.push(filter.from)}`);
  if (filter.to !== undefined) conditions.push(`occurred_at < $${params.push(filter.to)}`);
  if (filter.currency !== undefined) {
    if (!CURRENCY.test(filter.currency))
      throw new PersistenceInputError(
        `fee filter currency "${filter.currency}" is not an ISO code like USD`,
      );
    conditions.push(`currency = $${params.push(filter.currency)}`);
  }
  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
}

function checkFee(fee: FeeRecord, index: number): void {
  const where = `fees[${index}] (${fee.source}/${fee.sourceId})`;
  if (!AMOUNT.test(fee.amount))
    throw new PersistenceInputError(
      `${where}: amount "${fee.amount}" is not a non-negative decimal with up to 4 places`,
    );
  if (!CURRENCY.test(fee.currency))
    throw new PersistenceInputError(
      `${where}: currency "${fee.currency}" is not an ISO code like USD`,
    );
  if (Number.isNaN(fee.occurredAt.getTime()))
    throw new PersistenceInputError(`${where}: occurredAt is not a valid time`);
}

function toRecord(row: FeeRow): FeeRecord {
  return {
    source: row.source,
    sourceId: row.source_id,
    record: { type: row.record_type, source: row.record_source, sourceId: row.record_id },
    kind: row.kind ?? undefined,
    amount: trimDecimal(row.amount),
    currency: row.currency,
    description: row.description ?? undefined,
    occurredAt: row.occurred_at,
  };
}

/** numeric(19,4) comes back as "2.6800": keep two decimals at least, drop the trailing zeros beyond. */
function trimDecimal(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  const kept = fraction.replace(/0+$/, '').padEnd(2, '0');
  return `${whole}.${kept}`;
}
