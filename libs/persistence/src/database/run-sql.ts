import { type DataSource, type QueryResult } from 'typeorm';

export interface SqlResult<Row> {
  rows: Row[];
  /** Rows inserted, updated or deleted by the statement. */
  affected: number;
}

/** Runs one parameterised statement and returns rows and affected count the same way for every command. */
export async function runSql<Row = Record<string, unknown>>(
  dataSource: DataSource,
  sql: string,
  params: readonly unknown[] = [],
): Promise<SqlResult<Row>> {
  // DataSource.query() shapes UPDATE/DELETE results differently from SELECT/INSERT; the structured result does not.
  const runner = dataSource.createQueryRunner();
  try {
    const result = (await runner.query(sql, params as unknown[], true)) as QueryResult<Row>;
    return { rows: result.records, affected: result.affected ?? 0 };
  } finally {
    await runner.release();
  }
}
