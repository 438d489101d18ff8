import { randomUUID } from 'node:crypto';
import { type DataSource, type Repository, type SelectQueryBuilder } from 'typeorm';
import { isUuid } from '../database/is-uuid';
import { runSql } from '../database/run-sql';
import { fetchPage, type Page, type PageRequest } from '../pagination';
import { PersistenceInputError } from '../persistence.errors';
import {
  DEAD_LETTER_FAILURE_TYPES,
  DEAD_LETTER_STATUSES,
  type DeadLetterFailureType,
  type DeadLetterStatus,
} from './dead-letter-status';
import { DeadLetterRecord } from './dead-letter.entity';

/** What the DLQ writer knows when an envelope gives up. */
export interface NewDeadLetter {
  flowId: string;
  flowVersion: number;
  eventId: string;
  key?: string | null;
  envelope: unknown;
  errorClass: string;
  errorMessage: string;
  failureType: DeadLetterFailureType;
  attempts: number;
  originalTopic?: string | null;
  originalPartition?: number | null;
  /** Decimal string, as the bus reports offsets. */
  originalOffset?: string | null;
  /** `review` parks a business failure for a person; default `pending`. */
  status?: 'pending' | 'review';
}

export interface DeadLetterFilter {
  flowId?: string;
  status?: DeadLetterStatus | readonly DeadLetterStatus[];
  key?: string;
  eventId?: string;
  errorClass?: string;
  failureType?: DeadLetterFailureType;
  ids?: readonly string[];
  /** Dead-lettered at or after. */
  from?: Date;
  /** Dead-lettered before. */
  to?: Date;
}

const OPEN_STATUSES: readonly string[] = ['pending', 'review'] satisfies DeadLetterStatus[];

/** The dead-letter index: what failed, why, and whether an operator replayed or discarded it. */
export class DeadLetterRepository {
  private readonly deadLetters: Repository<DeadLetterRecord>;

  constructor(private readonly dataSource: DataSource) {
    this.deadLetters = dataSource.getRepository(DeadLetterRecord);
  }

  /** Indexes a dead-lettered envelope as `pending` (or `review`). */
  async insert(input: NewDeadLetter): Promise<DeadLetterRecord> {
    if (!(DEAD_LETTER_FAILURE_TYPES as readonly string[]).includes(input.failureType)) {
      throw new PersistenceInputError(
        `dead letter: failureType "${input.failureType}" is not one of ${DEAD_LETTER_FAILURE_TYPES.join(', ')}`,
      );
    }
    const now = new Date();
    const deadLetter = this.deadLetters.create({
      id: randomUUID(),
      flowId: input.flowId,
      flowVersion: input.flowVersion,
      eventId: input.eventId,
      key: input.key ?? null,
      envelope: input.envelope,
      errorClass: input.errorClass,
      errorMessage: input.errorMessage,
      failureType: input.failureType,
      attempts: input.attempts,
      originalTopic: input.originalTopic ?? null,
      originalPartition: input.originalPartition ?? null,
      originalOffset: input.originalOffset ?? null,
      status: input.status ?? 'pending',
      createdAt: now,
      updatedAt: now,
      replayedExecutionId: null,
      discardReason: null,
    });
    await runSql(
      this.dataSource,
      `INSERT INTO dead_letters (id, flow_id, flow_version, event_id, key, envelope, error_class, error_message,
         failure_type, attempts, original_topic, original_partition, original_offset, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)`,
      [
        deadLetter.id,
        deadLetter.flowId,
        deadLetter.flowVersion,
        deadLetter.eventId,
        deadLetter.key,
        JSON.stringify(deadLetter.envelope ?? null),
        deadLetter.errorClass,
        deadLetter.errorMessage,
        deadLetter.failureType,
        deadLetter.attempts,
        deadLetter.originalTopic,
        deadLetter.originalPartition,
        deadLetter.originalOffset,
        deadLetter.status,
        now,
      ],
    );
    return deadLetter;
  }

  /** One dead letter by id, or undefined. */
  async get(id: string): Promise<DeadLetterRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.deadLetters.findOneBy({ id })) ?? undefined;
  }

  /** Dead letters matching `filter`, newest first. */
  async list(
    filter: DeadLetterFilter = {},
    page: PageRequest = {},
  ): Promise<Page<DeadLetterRecord>> {
    return fetchPage(
      this.filtered(filter),
      { alias: 'd', at: 'createdAt', id: 'id' },
      page,
      'dead letters',
    );
  }

  /**
   * Dead letters a bulk replay should take, oldest first so they replay in their original order:
   * `pending` ones unless the filter asks for `review` too.
   */
  async findForReplay(filter: DeadLetterFilter = {}, limit = 1000): Promise<DeadLetterRecord[]> {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new PersistenceInputError(
        `dead letters replay: limit must be a positive integer, got ${limit}`,
      );
    }
    const status = filter.status ?? 'pending';
    for (const wanted of typeof status === 'string' ? [status] : status) {
      if (!OPEN_STATUSES.includes(wanted)) {
        throw new PersistenceInputError(
          `dead letters replay: status "${wanted}" cannot be replayed; use pending or review`,
        );
      }
    }
    return this.filtered({ ...filter, status })
      .orderBy('d.createdAt', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * Marks an open (pending or review) dead letter replayed. False when it is not open (already
   * replayed or discarded, or unknown), so two operators replaying at once cannot both win.
   */
  async markReplayed(id: string, replayedExecutionId?: string): Promise<boolean> {
    if (replayedExecutionId !== undefined && !isUuid(replayedExecutionId)) {
      throw new PersistenceInputError(
        `dead letter ${id}: replayedExecutionId "${replayedExecutionId}" is not a UUID`,
      );
    }
    return this.close(id, 'replayed', replayedExecutionId ?? null, null);
  }

  /** Marks an open dead letter discarded, keeping the operator's reason; false when it is not open. */
  async markDiscarded(id: string, reason?: string): Promise<boolean> {
    return this.close(id, 'discarded', null, reason ?? null);
  }

  private async close(
    id: string,
    status: DeadLetterStatus,
    replayedExecutionId: string | null,
    discardReason: string | null,
  ): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { affected } = await runSql(
      this.dataSource,
      `UPDATE dead_letters SET status = $2, replayed_execution_id = $3, discard_reason = $4, updated_at = now()
        WHERE id = $1 AND status IN ('pending', 'review')`,
      [id, status, replayedExecutionId, discardReason],
    );
    return affected === 1;
  }

  private filtered(filter: DeadLetterFilter): SelectQueryBuilder<DeadLetterRecord> {
    const query = this.deadLetters.createQueryBuilder('d');
    if (filter.flowId !== undefined)
      query.andWhere('d.flowId = :flowId', { flowId: filter.flowId });
    if (filter.status !== undefined) {
      const statuses: readonly string[] =
        typeof filter.status === 'string' ? [filter.status] : filter.status;
      for (const status of statuses) {
        if (!(DEAD_LETTER_STATUSES as readonly string[]).includes(status)) {
          throw new PersistenceInputError(
            `dead letters filter: status "${status}" is not one of ${DEAD_LETTER_STATUSES.join(', ')}`,
          );
        }
      }
      if (statuses.length === 0) query.andWhere('false');
      else query.andWhere('d.status IN (:...statuses)', { statuses });
    }
    if (filter.key !== undefined) query.andWhere('d.key = :key', { key: filter.key });
    if (filter.eventId !== undefined)
      query.andWhere('d.eventId = :eventId', { eventId: filter.eventId });
    if (filter.errorClass !== undefined)
      query.andWhere('d.errorClass = :errorClass', { errorClass: filter.errorClass });
    if (filter.failureType !== undefined) {
      query.andWhere('d.failureType = :failureType', { failureType: filter.failureType });
    }
    if (filter.ids !== undefined) {
      const ids = filter.ids.filter(isUuid);
      // An empty IN list is invalid SQL; no valid id means no match.
      if (ids.length === 0) query.andWhere('false');
      else query.andWhere('d.id IN (:...ids)', { ids });
    }
    if (filter.from !== undefined) query.andWhere('d.createdAt >= :from', { from: filter.from });
    if (filter.to !== undefined) query.andWhere('d.createdAt < :to', { to: filter.to });
    return query;
  }
}
