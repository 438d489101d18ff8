import { type DataSource } from 'typeorm';
import { runSql } from '../database/run-sql';

/** Remembers webhook deliveries so a provider's retry of the same event is absorbed. */
export class IngressEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** `new` the first time (connector, event, eventId) arrives, `duplicate` on every later delivery. */
  async accept(connector: string, event: string, eventId: string): Promise<'new' | 'duplicate'> {
    const { affected } = await runSql(
      this.dataSource,
      `INSERT INTO ingress_events (connector, event, event_id) VALUES ($1, $2, $3)
       ON CONFLICT (connector, event, event_id) DO NOTHING`,
      [connector, event, eventId],
    );
    return affected === 1 ? 'new' : 'duplicate';
  }

  /** Forgets deliveries received before `cutoff` (providers stop retrying after days); returns how many. */
  async pruneReceivedBefore(cutoff: Date): Promise<number> {
    const { affected } = await runSql(
      this.dataSource,
      'DELETE FROM ingress_events WHERE received_at < $1',
      [cutoff],
    );
    return affected;
  }
}
