import { type DataSource, type Repository } from 'typeorm';
import { isUuid } from '../database/is-uuid';
import { fetchPage, type Page, type PageRequest } from '../pagination';
import { PersistenceError, PersistenceInputError } from '../persistence.errors';
import { ALERT_SEVERITIES, type AlertSeverity } from './alert-severity';
import { AlertRecord } from './alert.entity';

export interface NewAlert {
  rule: string;
  severity: AlertSeverity;
  subject: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface AlertFilter {
  rule?: string;
  severity?: AlertSeverity;
  subject?: string;
  /** true: only acknowledged; false: only open. */
  acknowledged?: boolean;
  from?: Date;
  to?: Date;
}

/** What `raise` did: opened a new episode (deliver it) or counted a repeat of an open one. */
export interface RaisedAlert {
  alert: AlertRecord;
  created: boolean;
}

interface AlertRow {
  id: string;
  rule: string;
  severity: AlertSeverity;
  subject: string;
  message: string;
  details: Record<string, unknown>;
  count: number;
  first_raised_at: Date;
  last_raised_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  delivered_at: Date | null;
  delivery_error: string | null;
}

/** Alerts at rest, deduplicated per rule + subject within a window. */
export class AlertRepository {
  private readonly alerts: Repository<AlertRecord>;

  constructor(private readonly dataSource: DataSource) {
    this.alerts = dataSource.getRepository(AlertRecord);
  }

  /** Counts a repeat into the open episode of the same rule + subject started within `windowMs`, or opens a new one. */
  async raise(input: NewAlert, windowMs: number): Promise<RaisedAlert> {
    if (!(ALERT_SEVERITIES as readonly string[]).includes(input.severity)) {
      throw new PersistenceInputError(`alert: severity "${input.severity}" is not one of ${ALERT_SEVERITIES.join(', ')}`);
    }
    if (!Number.isInteger(windowMs) || windowMs < 0) throw new PersistenceInputError(`alert: windowMs must be a non-negative integer, got ${windowMs}`);
    const details = JSON.stringify(input.details ?? {});
    return this.dataSource.transaction(async (manager) => {
      // Instances raising the same alert at once serialise here, so they count into one episode.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`switchboard:alert:${input.rule}:${input.subject}`]);
      const repeated = await manager.query<AlertRow[]>(
        `UPDATE alerts SET count = count + 1, last_raised_at = now(), message = $3, details = $4::jsonb
         WHERE id = (SELECT id FROM alerts WHERE rule = $1 AND subject = $2 AND acknowledged_at IS NULL
                       AND first_raised_at > now() - make_interval(secs => $5::double precision / 1000)
                     ORDER BY first_raised_at DESC LIMIT 1)
         RETURNING *`,
        [input.rule, input.subject, input.message, details, windowMs],
      );
      // UPDATE ... RETURNING through manager.query answers [rows, affected].
      const updatedRows = (Array.isArray(repeated[0]) ? repeated[0] : repeated) as AlertRow[];
      const updated = updatedRows[0];
      if (updated !== undefined) return { alert: toRecord(this.alerts, updated), created: false };
      const inserted = await manager.query<AlertRow[]>(
        `INSERT INTO alerts (rule, severity, subject, message, details) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING *`,
        [input.rule, input.severity, input.subject, input.message, details],
      );
      const row = inserted[0];
      if (row === undefined) throw new PersistenceError('alerts insert returned no row');
      return { alert: toRecord(this.alerts, row), created: true };
    });
  }

  async get(id: string): Promise<AlertRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.alerts.findOne({ where: { id } })) ?? undefined;
  }

  /** Alerts newest (last raised) first. */
  async list(filter: AlertFilter = {}, page: PageRequest = {}): Promise<Page<AlertRecord>> {
    const query = this.alerts.createQueryBuilder('a');
    if (filter.rule !== undefined) query.andWhere('a.rule = :rule', { rule: filter.rule });
    if (filter.severity !== undefined) query.andWhere('a.severity = :severity', { severity: filter.severity });
    if (filter.subject !== undefined) query.andWhere('a.subject = :subject', { subject: filter.subject });
    if (filter.acknowledged === true) query.andWhere('a.acknowledgedAt IS NOT NULL');
    if (filter.acknowledged === false) query.andWhere('a.acknowledgedAt IS NULL');
    if (filter.from !== undefined) query.andWhere('a.lastRaisedAt >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('a.lastRaisedAt < :to', { to: filter.to });
    return fetchPage(query, { alias: 'a', at: 'lastRaisedAt', id: 'id' }, page, 'alerts');
  }

  /** Acknowledges an open alert; false when it does not exist or was already acknowledged. */
  async acknowledge(id: string, by: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const result = await this.alerts
      .createQueryBuilder()
      .update()
      .set({ acknowledgedAt: () => 'now()', acknowledgedBy: by })
      .where('id = :id AND acknowledged_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Records the outcome of the webhook delivery (error null on success). */
  async markDelivery(id: string, error: string | null): Promise<void> {
    await this.alerts.update({ id }, error === null ? { deliveredAt: new Date(), deliveryError: null } : { deliveryError: error });
  }
}

function toRecord(alerts: Repository<AlertRecord>, row: AlertRow): AlertRecord {
  return alerts.create({
    id: row.id,
    rule: row.rule,
    severity: row.severity,
    subject: row.subject,
    message: row.message,
    details: row.details,
    count: row.count,
    firstRaisedAt: row.first_raised_at,
    lastRaisedAt: row.last_raised_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    deliveredAt: row.delivered_at,
    deliveryError: row.delivery_error,
  });
}
