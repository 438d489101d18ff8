import { type DataSource, type EntityManager, In, IsNull, type Repository } from 'typeorm';
import { runSql } from '../database/run-sql';
import { PersistenceError } from '../persistence.errors';
import { PayoutBatch } from './payout-batch.entity';
import { PayoutConflictError } from './payout-conflict.error';
import { PayoutItemTransition } from './payout-item-transition.entity';
import { PayoutItem } from './payout-item.entity';
import { type PayoutBatchSource, type PayoutItemStatus } from './payout-item-status';
import { PayoutQueuePause } from './payout-queue-pause.entity';

export interface NewPayoutBatch {
  reference: string;
  source: PayoutBatchSource;
  account: string;
  description?: string | null;
  createdBy: string;
}

export interface NewPayoutItem {
  businessReference: string;
  attempt: number;
  clientReferenceId: string;
  partyReference: string;
  payeeId: string | null;
  /** Decimal string. */
  amount: string;
  currency: string;
  description: string;
}

/** A compare-and-set status change: applies only to items currently in one of `from`. */
export interface PayoutItemStatusChange {
  from: readonly PayoutItemStatus[];
  to: PayoutItemStatus;
  actor: string;
  reason?: string | null;
  details?: Record<string, unknown>;
  payeeId?: string;
  payoneerPayoutId?: string;
  payoneerStatus?: string;
  /** Stamp `last_checked_at`: the change came from asking Payoneer. */
  checked?: boolean;
}

/** Counts of a batch's items per status. */
export type PayoutStatusCounts = Partial<Record<PayoutItemStatus, number>>;

const UNIQUE_VIOLATION = '23505';
const LOCK_NOT_AVAILABLE = '55P03';

/** Payout batches, items, their audited status changes and queue pauses. */
export class PayoutRepository {
  private readonly batches: Repository<PayoutBatch>;
  private readonly items: Repository<PayoutItem>;
  private readonly transitions: Repository<PayoutItemTransition>;
  private readonly pauses: Repository<PayoutQueuePause>;

  constructor(private readonly dataSource: DataSource) {
    this.batches = dataSource.getRepository(PayoutBatch);
    this.items = dataSource.getRepository(PayoutItem);
    this.transitions = dataSource.getRepository(PayoutItemTransition);
    this.pauses = dataSource.getRepository(PayoutQueuePause);
  }

  /** Stores a batch and its items (in order, as `draft`) in one transaction. */
  async createBatch(
    batch: NewPayoutBatch,
    items: readonly NewPayoutItem[],
  ): Promise<{ batch: PayoutBatch; items: PayoutItem[] }> {
    return this.inTransaction(async (manager) => {
      const [stored] = await manager.query<Array<{ id: string }>>(
        `INSERT INTO payout_batches (reference, source, account, description, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [batch.reference, batch.source, batch.account, batch.description ?? null, batch.createdBy],
      );
      if (stored === undefined) throw new PersistenceError('payout_batches insert returned no row');
      const ids: string[] = [];
      for (const item of items) {
        ids.push(
          await insertItem(
            manager,
            stored.id,
            batch.account,
            item,
            null,
            'draft',
            batch.createdBy,
            null,
          ),
        );
      }
      return {
        batch: await manager.getRepository(PayoutBatch).findOneByOrFail({ id: stored.id }),
        items: await manager.getRepository(PayoutItem).find({
          where: { id: In(ids) },
          order: { seq: 'ASC' },
        }),
      };
    });
  }

  /**
   * Closes `previous` (compare-and-set from `previousFrom` to `cancelled`) and stores `next` as a new
   * attempt linked to it, in `initialStatus`, in one transaction. Null when `previous` was not in `previousFrom`.
   */
  async replaceAttempt(
    previous: PayoutItem,
    previousFrom: readonly PayoutItemStatus[],
    next: NewPayoutItem,
    initialStatus: PayoutItemStatus,
    actor: string,
    reason: string,
  ): Promise<PayoutItem | null> {
    return this.inTransaction(async (manager) => {
      const closed = await transitionWith(manager, [previous.id], {
        from: previousFrom,
        to: 'cancelled',
        actor,
        reason: `superseded by attempt ${next.attempt} (${next.clientReferenceId}): ${reason}`,
      });
      if (closed.length === 0) return null;
      const id = await insertItem(
        manager,
        previous.batchId,
        previous.account,
        next,
        previous.id,
        initialStatus,
        actor,
        reason,
      );
      return manager.getRepository(PayoutItem).findOneByOrFail({ id });
    });
  }

  /** Applies `change` to those of `itemIds` whose status is in `change.from`, storing a transition for each; returns the ids moved. */
  async transition(itemIds: readonly string[], change: PayoutItemStatusChange): Promise<string[]> {
    if (itemIds.length === 0) return [];
    return this.inTransaction((manager) => transitionWith(manager, itemIds, change));
  }

  /** Records what Payoneer said about items whose status does not change. */
  async markChecked(itemIds: readonly string[], payoneerStatus: string | null): Promise<void> {
    if (itemIds.length === 0) return;
    await runSql(
      this.dataSource,
      `UPDATE payout_items SET last_checked_at = now(), payoneer_status = COALESCE($2, payoneer_status)
       WHERE id = ANY($1::uuid[])`,
      [itemIds, payoneerStatus],
    );
  }

  /** Points an item at a (corrected) Payoneer payee without changing its status. */
  async setPayee(itemId: string, payeeId: string | null): Promise<void> {
    await runSql(
      this.dataSource,
      `UPDATE payout_items SET payee_id = $2, updated_at = now() WHERE id = $1`,
      [itemId, payeeId],
    );
  }

  async findBatch(batchId: string): Promise<PayoutBatch | null> {
    return this.batches.findOneBy({ id: batchId });
  }

  async findItem(itemId: string): Promise<PayoutItem | null> {
    return this.items.findOneBy({ id: itemId });
  }

  async findItemByClientReference(clientReferenceId: string): Promise<PayoutItem | null> {
    return this.items.findOneBy({ clientReferenceId });
  }

  /** Every attempt for a business reference, oldest first. */
  async listAttempts(businessReference: string): Promise<PayoutItem[]> {
    return this.items.find({ where: { businessReference }, order: { attempt: 'ASC' } });
  }

  /** A batch's items in queue order, optionally only those in `statuses`. */
  async listItems(batchId: string, statuses?: readonly PayoutItemStatus[]): Promise<PayoutItem[]> {
    return this.items.find({
      where: { batchId, ...(statuses ? { status: In([...statuses]) } : {}) },
      order: { seq: 'ASC' },
    });
  }

  /** How many of a batch's items are in each status. */
  async countByStatus(batchId: string): Promise<PayoutStatusCounts> {
    const { rows } = await runSql<{ status: PayoutItemStatus; count: string }>(
      this.dataSource,
      `SELECT status, count(*) AS count FROM payout_items WHERE batch_id = $1 GROUP BY status`,
      [batchId],
    );
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  }

  /** Batches, newest first, optionally only those of one source; with the total that matched. */
  async listBatches(
    filter: { source?: PayoutBatchSource; account?: string },
    page: { limit: number; offset: number },
  ): Promise<{ items: PayoutBatch[]; total: number }> {
    const where = {
      ...(filter.source === undefined ? {} : { source: filter.source }),
      ...(filter.account === undefined ? {} : { account: filter.account }),
    };
    const [items, total] = await this.batches.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items, total };
  }

  /** A page of a batch's items in queue order, optionally only some statuses / one currency. */
  async pageItems(
    batchId: string,
    filter: { statuses?: readonly PayoutItemStatus[]; currency?: string },
    page: { limit: number; offset: number },
  ): Promise<{ items: PayoutItem[]; total: number }> {
    const [items, total] = await this.items.findAndCount({
      where: {
        batchId,
        ...(filter.statuses ? { status: In([...filter.statuses]) } : {}),
        ...(filter.currency === undefined ? {} : { currency: filter.currency }),
      },
      order: { seq: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items, total };
  }

  /** Sum of a batch's items per currency (decimal strings), optionally only some statuses. */
  async totalsByCurrency(
    batchId: string,
    statuses?: readonly PayoutItemStatus[],
  ): Promise<Record<string, string>> {
    const { rows } = await runSql<{ currency: string; total: string }>(
      this.dataSource,
      `SELECT currency, sum(amount)::text AS total FROM payout_items
       WHERE batch_id = $1 AND ($2::text[] IS NULL OR status = ANY($2::text[]))
       GROUP BY currency ORDER BY currency`,
      [batchId, statuses === undefined ? null : [...statuses]],
    );
    return Object.fromEntries(rows.map((row) => [row.currency, row.total]));
  }

  /**
   * The highest transition id below which every transition is committed: taken under a SHARE lock
   * of the table, which waits for every transaction still inserting transitions (a lower id may
   * commit after a higher one) and is released at once. Null when the lock is not granted within
   * `lockTimeoutMs` (try again later).
   */
  async committedTransitionsHighWatermark(lockTimeoutMs: number): Promise<string | null> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
        await manager.query(`LOCK TABLE payout_item_transitions IN SHARE MODE`);
        const [row] = await manager.query<Array<{ max: string }>>(
          `SELECT coalesce(max(id), 0)::text AS max FROM payout_item_transitions`,
        );
        return row?.max ?? '0';
      });
    } catch (error) {
      const code = (error as { driverError?: { code?: string } }).driverError?.code;
      if (code === LOCK_NOT_AVAILABLE) return null;
      throw error;
    }
  }

  /**
   * Transitions into one of `statuses` with ids in (`afterId`, `upToId`], oldest first, each with
   * its item: the outbox of status changes to publish (`upToId` from `committedTransitionsHighWatermark`).
   */
  async listTransitionsBetween(
    afterId: string,
    upToId: string,
    statuses: readonly PayoutItemStatus[],
    limit: number,
  ): Promise<Array<{ transition: PayoutItemTransition; item: PayoutItem }>> {
    const { rows } = await runSql<{ id: string }>(
      this.dataSource,
      `SELECT id FROM payout_item_transitions
       WHERE id > $1::bigint AND id <= $2::bigint AND to_status = ANY($3::text[])
       ORDER BY id LIMIT $4`,
      [afterId, upToId, [...statuses], limit],
    );
    if (rows.length === 0) return [];
    const transitions = await this.transitions.find({
      where: { id: In(rows.map((row) => String(row.id))) },
      order: { id: 'ASC' },
    });
    const items = new Map(
      (await this.itemsById([...new Set(transitions.map((t) => t.itemId))])).map((item) => [
        item.id,
        item,
      ]),
    );
    return transitions.flatMap((transition) => {
      const item = items.get(transition.itemId);
      return item === undefined ? [] : [{ transition, item }];
    });
  }

  /** An item's stored status changes, oldest first. */
  async listTransitions(itemId: string): Promise<PayoutItemTransition[]> {
    return this.transitions.find({ where: { itemId }, order: { id: 'ASC' } });
  }

  /** Currencies of `account` that have queued items. */
  async queuedCurrencies(account: string): Promise<string[]> {
    const { rows } = await runSql<{ currency: string }>(
      this.dataSource,
      `SELECT DISTINCT currency FROM payout_items WHERE account = $1 AND status = 'queued' ORDER BY currency`,
      [account],
    );
    return rows.map((row) => row.currency);
  }

  /** The first `limit` queued items of one account/currency queue, FIFO. */
  async nextQueued(account: string, currency: string, limit: number): Promise<PayoutItem[]> {
    return this.items.find({
      where: { account, currency, status: 'queued' },
      order: { seq: 'ASC' },
      take: limit,
    });
  }

  /** Items of `account` left in `submitted` since before `before`: their send may or may not have reached Payoneer. */
  async listSubmittedBefore(account: string, before: Date): Promise<PayoutItem[]> {
    const { rows } = await runSql<{ id: string }>(
      this.dataSource,
      `SELECT id FROM payout_items WHERE account = $1 AND status = 'submitted' AND submitted_at <= $2 ORDER BY seq`,
      [account, before],
    );
    return this.itemsById(rows.map((row) => row.id));
  }

  /** Items of `account` waiting on Payoneer (`pending`) not checked since `before`, oldest check first. */
  async listAwaitingNews(account: string, before: Date, limit: number): Promise<PayoutItem[]> {
    const { rows } = await runSql<{ id: string }>(
      this.dataSource,
      `SELECT id FROM payout_items
       WHERE account = $1 AND status = 'pending' AND coalesce(last_checked_at, submitted_at, created_at) <= $2
       ORDER BY coalesce(last_checked_at, submitted_at, created_at), seq LIMIT $3`,
      [account, before, limit],
    );
    return this.itemsById(rows.map((row) => row.id));
  }

  /** Opens a pause of one queue; `opened` false when it was already paused (the open pause is returned). */
  async pauseQueue(
    account: string,
    currency: string,
    reason: string,
    details: Record<string, unknown>,
  ): Promise<{ pause: PayoutQueuePause; opened: boolean }> {
    const { rows } = await runSql<{ id: string }>(
      this.dataSource,
      `INSERT INTO payout_queue_pauses (account, currency, reason, details) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account, currency) WHERE resumed_at IS NULL DO NOTHING RETURNING id`,
      [account, currency, reason, JSON.stringify(details)],
    );
    const pause = await this.openPause(account, currency);
    if (pause === null)
      throw new PersistenceError(`payout queue ${account}/${currency}: pause vanished`);
    return { pause, opened: rows.length > 0 };
  }

  /** The open pause of one queue, if any. */
  async openPause(account: string, currency: string): Promise<PayoutQueuePause | null> {
    return this.pauses.findOneBy({ account, currency, resumedAt: IsNull() });
  }

  /** Every open pause of `account`. */
  async listOpenPauses(account: string): Promise<PayoutQueuePause[]> {
    return this.pauses.find({ where: { account, resumedAt: IsNull() }, order: { id: 'ASC' } });
  }

  /** Closes the open pause of one queue; null when it was not paused. */
  async resumeQueue(
    account: string,
    currency: string,
    resumedBy: string,
  ): Promise<PayoutQueuePause | null> {
    const { rows } = await runSql<{ id: string }>(
      this.dataSource,
      `UPDATE payout_queue_pauses SET resumed_at = now(), resumed_by = $3
       WHERE account = $1 AND currency = $2 AND resumed_at IS NULL RETURNING id`,
      [account, currency, resumedBy],
    );
    const closed = rows[0];
    return closed === undefined ? null : this.pauses.findOneBy({ id: String(closed.id) });
  }

  private async itemsById(ids: string[]): Promise<PayoutItem[]> {
    if (ids.length === 0) return [];
    const found = await this.items.find({ where: { id: In(ids) } });
    const byId = new Map(found.map((item) => [item.id, item]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      throw asConflict(error);
    }
  }
}

async function insertItem(
  manager: EntityManager,
  batchId: string,
  account: string,
  item: NewPayoutItem,
  previousAttemptId: string | null,
  status: PayoutItemStatus,
  actor: string,
  reason: string | null,
): Promise<string> {
  const [row] = await manager.query<Array<{ id: string }>>(
    `INSERT INTO payout_items (batch_id, account, business_reference, attempt, client_reference_id,
       previous_attempt_id, party_reference, payee_id, amount, currency, description, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      batchId,
      account,
      item.businessReference,
      item.attempt,
      item.clientReferenceId,
      previousAttemptId,
      item.partyReference,
      item.payeeId,
      item.amount,
      item.currency,
      item.description,
      status,
    ],
  );
  if (row === undefined) throw new PersistenceError('payout_items insert returned no row');
  await manager.query(
    `INSERT INTO payout_item_transitions (item_id, from_status, to_status, actor, reason, details)
     VALUES ($1, NULL, $2, $3, $4, '{}'::jsonb)`,
    [row.id, status, actor, reason],
  );
  return row.id;
}

async function transitionWith(
  manager: EntityManager,
  itemIds: readonly string[],
  change: PayoutItemStatusChange,
): Promise<string[]> {
  // One statement: lock the rows still in an allowed state, move them, and log each move.
  const rows = await manager.query<Array<{ item_id: string }>>(
    `WITH current AS (
       SELECT id, status FROM payout_items WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[]) FOR UPDATE
     ), moved AS (
       UPDATE payout_items item SET
         status = $3,
         status_reason = $4,
         payee_id = COALESCE($7, item.payee_id),
         payoneer_payout_id = COALESCE($8, item.payoneer_payout_id),
         payoneer_status = COALESCE($9, item.payoneer_status),
         submitted_at = CASE WHEN $3 = 'submitted' THEN now() ELSE item.submitted_at END,
         last_checked_at = CASE WHEN $10 THEN now() ELSE item.last_checked_at END,
         updated_at = now()
       FROM current WHERE item.id = current.id
       RETURNING item.id, current.status AS from_status
     )
     INSERT INTO payout_item_transitions (item_id, from_status, to_status, actor, reason, details)
     SELECT id, from_status, $3, $5, $4, $6::jsonb FROM moved RETURNING item_id`,
    [
      itemIds,
      change.from,
      change.to,
      change.reason ?? null,
      change.actor,
      JSON.stringify(change.details ?? {}),
      change.payeeId ?? null,
      change.payoneerPayoutId ?? null,
      change.payoneerStatus ?? null,
      change.checked === true,
    ],
  );
  return rows.map((row) => row.item_id);
}

function asConflict(error: unknown): unknown {
  const driverError = (
    error as { driverError?: { code?: string; constraint?: string; detail?: string } }
  ).driverError;
  if (driverError?.code !== UNIQUE_VIOLATION) return error;
  const messages: Record<string, string> = {
    payout_batches_reference_key: 'a payout batch with this reference already exists',
    payout_items_client_reference_id_key:
      'a payout item with this client reference id already exists',
    payout_items_live_reference_idx:
      'this business reference already has a live payout (queued, sent or paid); it cannot be paid again',
    payout_items_business_reference_attempt_key:
      'this attempt of the business reference already exists',
  };
  const message = messages[driverError.constraint ?? ''] ?? 'payout uniqueness rule violated';
  return new PayoutConflictError(
    `${message} (${driverError.detail ?? driverError.constraint ?? ''})`,
    {
      cause: error,
    },
  );
}
