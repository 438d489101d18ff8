import { type DataSource, type Repository } from 'typeorm';
import { runSql } from '../database/run-sql';
import { FlowCursor } from './flow-cursor.entity';

/** Polling flows' cursors, one per flow. */
export class FlowCursorRepository {
  private readonly cursors: Repository<FlowCursor>;

  constructor(private readonly dataSource: DataSource) {
    this.cursors = dataSource.getRepository(FlowCursor);
  }

  /** The flow's stored cursor (any JSON value), or undefined before its first poll. */
  async get(flowId: string): Promise<unknown> {
    const row = await this.cursors.findOneBy({ flowId });
    return row === null ? undefined : row.cursor;
  }

  /** Stores the flow's cursor, replacing the previous one. */
  async set(flowId: string, cursor: unknown): Promise<void> {
    await runSql(
      this.dataSource,
      `INSERT INTO flow_cursors (flow_id, cursor, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (flow_id) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = EXCLUDED.updated_at`,
      [flowId, JSON.stringify(cursor ?? null)],
    );
  }
}
