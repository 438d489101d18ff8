import { type DataSource, type Repository } from 'typeorm';
import { runSql } from '../database/run-sql';
import { fetchPage, type Page, type PageRequest } from '../pagination';
import { PersistenceError, PersistenceInputError } from '../persistence.errors';
import { IdMapConflictError } from './id-map-conflict.error';
import { IdMapEntry, type IdMapOrigin } from './id-map-entry.entity';

interface IdMapRow {
  namespace: string;
  source_id: string;
  target_id: string;
  origin: IdMapOrigin;
  created_at: Date;
  updated_at: Date;
  inserted?: boolean;
}

const NAMESPACE = /^[a-z][a-z0-9._-]{0,63}$/;
const COLUMNS = 'namespace, source_id, target_id, origin, created_at, updated_at';

/** Id maps in Postgres: forward (source → target) and reverse (target → source) lookups per namespace. */
export class IdMapRepository {
  private readonly entries: Repository<IdMapEntry>;

  constructor(private readonly dataSource: DataSource) {
    this.entries = dataSource.getRepository(IdMapEntry);
  }

  /** The entry for a source id, or undefined. */
  async findBySource(namespace: string, sourceId: string): Promise<IdMapEntry | undefined> {
    return this.findOne(namespace, 'source_id', sourceId);
  }

  /** The entry whose target is this id (the reverse lookup), or undefined. */
  async findByTarget(namespace: string, targetId: string): Promise<IdMapEntry | undefined> {
    return this.findOne(namespace, 'target_id', targetId);
  }

  /**
   * Stores source → target unless the source is already mapped; returns the stored entry either
   * way (concurrent first sightings agree on one). Throws IdMapConflictError when the target
   * belongs to another source.
   */
  async insertIfAbsent(
    namespace: string,
    sourceId: string,
    targetId: string,
  ): Promise<{ entry: IdMapEntry; created: boolean }> {
    checkKeys(namespace, sourceId, targetId);
    const { rows } = await this.write(
      namespace,
      targetId,
      `INSERT INTO id_maps (namespace, source_id, target_id, origin) VALUES ($1, $2, $3, 'first_sight')
       ON CONFLICT (namespace, source_id) DO NOTHING RETURNING ${COLUMNS}`,
      [namespace, sourceId, targetId],
    );
    const inserted = rows[0];
    if (inserted !== undefined) return { entry: this.toEntry(inserted), created: true };
    const existing = await this.findBySource(namespace, sourceId);
    if (existing === undefined) {
      throw new PersistenceError(`id map "${namespace}": "${sourceId}" vanished while being mapped`);
    }
    return { entry: existing, created: false };
  }

  /** Sets source → target (an operator's edit); `created` says whether the source was new. */
  async put(
    namespace: string,
    sourceId: string,
    targetId: string,
  ): Promise<{ entry: IdMapEntry; created: boolean }> {
    checkKeys(namespace, sourceId, targetId);
    const { rows } = await this.write(
      namespace,
      targetId,
      `INSERT INTO id_maps (namespace, source_id, target_id, origin) VALUES ($1, $2, $3, 'api')
       ON CONFLICT (namespace, source_id) DO UPDATE
         SET target_id = EXCLUDED.target_id, origin = 'api', updated_at = now()
       RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
      [namespace, sourceId, targetId],
    );
    const row = rows[0];
    if (row === undefined) throw new PersistenceError('id_maps upsert returned no row');
    return { entry: this.toEntry(row), created: row.inserted === true };
  }

  /** Removes the entry; false when there was none. */
  async delete(namespace: string, sourceId: string): Promise<boolean> {
    const { affected } = await runSql(
      this.dataSource,
      `DELETE FROM id_maps WHERE namespace = $1 AND source_id = $2`,
      [namespace, sourceId],
    );
    return affected > 0;
  }

  /** The entries of a namespace, newest first. */
  async list(namespace: string, request: PageRequest = {}): Promise<Page<IdMapEntry>> {
    const query = this.entries
      .createQueryBuilder('entry')
      .where('entry.namespace = :namespace', { namespace });
    return fetchPage(
      query,
      { alias: 'entry', at: 'createdAt', id: 'sourceId' },
      request,
      `id map "${namespace}"`,
    );
  }

  /** Every namespace with how many entries it holds. */
  async namespaces(): Promise<Array<{ namespace: string; entries: number }>> {
    const { rows } = await runSql<{ namespace: string; entries: string }>(
      this.dataSource,
      `SELECT namespace, count(*) AS entries FROM id_maps GROUP BY namespace ORDER BY namespace`,
    );
    return rows.map((row) => ({ namespace: row.namespace, entries: Number(row.entries) }));
  }

  private async findOne(
    namespace: string,
    column: 'source_id' | 'target_id',
    id: string,
  ): Promise<IdMapEntry | undefined> {
    const { rows } = await runSql<IdMapRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM id_maps WHERE namespace = $1 AND ${column} = $2`,
      [namespace, id],
    );
    const row = rows[0];
    return row === undefined ? undefined : this.toEntry(row);
  }

  private async write(
    namespace: string,
    targetId: string,
    sql: string,
    params: unknown[],
  ): Promise<{ rows: IdMapRow[] }> {
    try {
      return await runSql<IdMapRow>(this.dataSource, sql, params);
    } catch (error) {
      if ((error as { constraint?: unknown }).constraint !== 'id_maps_target_unique') throw error;
      const owner = await this.findByTarget(namespace, targetId);
      throw new IdMapConflictError(namespace, targetId, owner?.sourceId ?? '(unknown)');
    }
  }

  private toEntry(row: IdMapRow): IdMapEntry {
    return this.entries.create({
      namespace: row.namespace,
      sourceId: row.source_id,
      targetId: row.target_id,
      origin: row.origin,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
  }
}

function checkKeys(namespace: string, sourceId: string, targetId: string): void {
  if (!NAMESPACE.test(namespace)) {
    throw new PersistenceInputError(
      `id map namespace "${namespace}" is not allowed: lower-case letters, digits, . _ - (max 64), starting with a letter`,
    );
  }
  for (const [name, value] of [
    ['source id', sourceId],
    ['target id', targetId],
  ] as const) {
    if (value.trim() === '' || value.length > 256) {
      throw new PersistenceInputError(
        `id map "${namespace}": ${name} must be 1–256 characters, got ${JSON.stringify(value)}`,
      );
    }
  }
}
