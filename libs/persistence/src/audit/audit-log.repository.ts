import { type DataSource, type Repository } from 'typeorm';
import { runSql } from '../database/run-sql';
import { fetchPage, type Page, type PageRequest } from '../pagination';
import { PersistenceError } from '../persistence.errors';
import { AuditLogEntry } from './audit-log-entry.entity';

export interface NewAuditLogEntry {
  /** Who: an API key name, `system`, `cli:<user>`. */
  actor: string;
  /** What, as a dotted verb: `dlq.replay`, `secret.set`, `flow.reload`. */
  action: string;
  subjectType: string;
  subjectId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditLogFilter {
  actor?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  from?: Date;
  to?: Date;
}

/** Append-only record of operator and system actions. */
export class AuditLogRepository {
  private readonly entries: Repository<AuditLogEntry>;

  constructor(private readonly dataSource: DataSource) {
    this.entries = dataSource.getRepository(AuditLogEntry);
  }

  /** Appends one entry and returns it as stored. */
  async append(entry: NewAuditLogEntry): Promise<AuditLogEntry> {
    const { rows } = await runSql<{ id: string; at: Date }>(
      this.dataSource,
      `INSERT INTO audit_log (actor, action, subject_type, subject_id, details) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, at`,
      [
        entry.actor,
        entry.action,
        entry.subjectType,
        entry.subjectId ?? null,
        JSON.stringify(entry.details ?? {}),
      ],
    );
    const stored = rows[0];
    if (stored === undefined) throw new PersistenceError('audit_log insert returned no row');
    return this.entries.create({
      id: String(stored.id),
      at: stored.at,
      actor: entry.actor,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId ?? null,
      details: entry.details ?? {},
    });
  }

  /** Entries matching `filter`, newest first. */
  async list(filter: AuditLogFilter = {}, page: PageRequest = {}): Promise<Page<AuditLogEntry>> {
    const query = this.entries.createQueryBuilder('a');
    if (filter.actor !== undefined) query.andWhere('a.actor = :actor', { actor: filter.actor });
    if (filter.action !== undefined)
      query.andWhere('a.action = :action', { action: filter.action });
    if (filter.subjectType !== undefined)
      query.andWhere('a.subjectType = :subjectType', { subjectType: filter.subjectType });
    if (filter.subjectId !== undefined)
      query.andWhere('a.subjectId = :subjectId', { subjectId: filter.subjectId });
    if (filter.from !== undefined) query.andWhere('a.at >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('a.at < :to', { to: filter.to });
    return fetchPage(query, { alias: 'a', at: 'at', id: 'id' }, page, 'audit log');
  }
}
