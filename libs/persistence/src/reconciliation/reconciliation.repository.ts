import { type DataSource, type EntityManager, type QueryResult } from 'typeorm';
import { fetchPage, type Page, type PageRequest } from '../pagination';
import { PersistenceError, PersistenceInputError } from '../persistence.errors';
import { ReconciliationMatchRecord } from './reconciliation-match.entity';
import {
  ReconciliationReviewItemRecord,
  type ReviewReason,
} from './reconciliation-review-item.entity';

/** Where an order or payment stands in reconciliation; `link` marks a Clarity payment that only ties a transaction id to an order. */
export type ReconciliationItemState =
  'open' | 'partial' | 'matched' | 'review' | 'dismissed' | 'link';

/** An order as reconciliation stores it; money as decimal strings. */
export interface ReconciliationOrderRow {
  orderKey: string;
  orderNumber: string | null;
  normReference: string | null;
  currency: string;
  total: string;
  paidSoFar: string;
  placedAt: Date;
  state: ReconciliationItemState;
  facts: unknown;
}

/** A payment as reconciliation stores it; money as decimal strings. */
export interface ReconciliationPaymentRow {
  paymentKey: string;
  source: string;
  transactionId: string;
  linkedOrderKey: string | null;
  normReference: string | null;
  currency: string;
  amount: string;
  fee: string;
  paidAt: Date;
  state: ReconciliationItemState;
  allocatedOrderKey: string | null;
  allocatedAmount: string | null;
  facts: unknown;
}

/** An amount range in one currency. */
export interface AmountWindow {
  currency: string;
  min: string;
  max: string;
}

/** What to look for: any of the keys, references, or amount windows within the date range. */
export interface AmountWindow {
  currency: string;
  min: string;
  max: string;
}

export interface ReconciliationCandidateQuery {
  keys?: string[];
  normReferences?: string[];
  transactionIds?: string[];
  /** Open rows of this currency whose amount lies in [min, max] (decimal strings). */
  amountWindows?: AmountWindow[];
  /** Date range the amount windows search (by order or payment date); needed with amountWindows. */
  range?: { from: Date; to: Date };
}

export type NewReconciliationMatch = Omit<
  ReconciliationMatchRecord,
  'id' | 'status' | 'erpReference' | 'postedAt' | 'createdAt'
>;

export type NewReconciliationReviewItem = Pick<
  ReconciliationReviewItemRecord,
  | 'reason'
  | 'subjectType'
  | 'subjectKey'
  | 'currency'
  | 'amount'
  | 'day'
  | 'candidates'
  | 'evidence'
>;

export interface ReviewItemFilter {
  status?: ReconciliationReviewItemRecord['status'];
  reason?: ReviewReason;
  currency?: string;
  subjectKey?: string;
}

/** One row of the reconciliation status report. */
export interface ReconciliationReportRow {
  day: string;
  currency: string;
  matchedCount: number;
  matchedAmount: string;
  fees: string;
  postedCount: number;
  pendingCount: number;
  pendingAmount: string;
  inReviewCount: number;
  inReviewAmount: string;
}

const ORDER_COLUMNS = `order_key AS "orderKey", order_number AS "orderNumber", norm_reference AS "normReference",
  currency, total::text AS total, paid_so_far::text AS "paidSoFar", placed_at AS "placedAt", state, facts`;
const PAYMENT_COLUMNS = `payment_key AS "paymentKey", source, transaction_id AS "transactionId",
  linked_order_key AS "linkedOrderKey", norm_reference AS "normReference", currency, amount::text AS amount,
  fee::text AS fee, paid_at AS "paidAt", state, allocated_order_key AS "allocatedOrderKey",
  allocated_amount::text AS "allocatedAmount", facts`;
const RECONCILIATION_LOCK = 'switchboard:reconciliation';

/** Storage of the reconciliation engine: orders and payments it has seen, matches, review items, the status report. */
export class ReconciliationRepository {
  private readonly manager: EntityManager;

  constructor(
    private readonly dataSource: DataSource,
    manager?: EntityManager,
  ) {
    this.manager = manager ?? dataSource.manager;
  }

  /** Runs `work` in one transaction that holds the reconciliation lock, so concurrent ingests never claim the same order twice. */
  async transaction<T>(work: (repository: ReconciliationRepository) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [RECONCILIATION_LOCK]);
      return work(new ReconciliationRepository(this.dataSource, manager));
    });
  }

  /** Stores an order; false when its key was already stored (a replay). */
  async insertOrder(order: ReconciliationOrderRow): Promise<boolean> {
    const rows = await this.manager.query<unknown[]>(
      `INSERT INTO recon_orders (order_key, order_number, norm_reference, currency, total, paid_so_far, placed_at, state, facts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (order_key) DO NOTHING RETURNING order_key`,
      [
        order.orderKey,
        order.orderNumber,
        order.normReference,
        order.currency,
        order.total,
        order.paidSoFar,
        order.placedAt,
        order.state,
        JSON.stringify(order.facts),
      ],
    );
    return rows.length === 1;
  }

  /** Orders by key, in no particular order. */
  async getOrders(keys: readonly string[]): Promise<ReconciliationOrderRow[]> {
    if (keys.length === 0) return [];
    return this.manager.query<ReconciliationOrderRow[]>(
      `SELECT ${ORDER_COLUMNS} FROM recon_orders WHERE order_key = ANY($1)`,
      [keys],
    );
  }

  /** Orders that could be paid by a payment: named by key or reference (any state), or open within an amount window and the date range. */
  async findOrderCandidates(
    query: ReconciliationCandidateQuery,
  ): Promise<ReconciliationOrderRow[]> {
    const parts = [
      `SELECT ${ORDER_COLUMNS} FROM recon_orders WHERE order_key = ANY($1) OR norm_reference = ANY($2)`,
    ];
    const params: unknown[] = [query.keys ?? [], query.normReferences ?? []];
    // The date range is bound only when an amount window uses it: Postgres refuses unused parameters.
    if ((query.amountWindows ?? []).length > 0) params.push(...dateRange(query));
    for (const window of query.amountWindows ?? []) {
      params.push(window.currency, window.min, window.max);
      const at = params.length;
      parts.push(
        `SELECT ${ORDER_COLUMNS} FROM recon_orders WHERE state IN ('open', 'partial') AND currency = $${at - 2}
           AND total BETWEEN $${at - 1} AND $${at} AND placed_at BETWEEN $3 AND $4`,
      );
    }
    return this.manager.query<ReconciliationOrderRow[]>(parts.join(' UNION '), params);
  }

  /** Adds to what an order has been paid so far and sets its state. */
  async updateOrders(
    keys: readonly string[],
    state: ReconciliationItemState,
    paidSoFar?: string,
  ): Promise<void> {
    await this.manager.query(
      `UPDATE recon_orders SET state = $2, paid_so_far = COALESCE($3, paid_so_far), updated_at = now()
       WHERE order_key = ANY($1) RETURNING order_key`,
      [keys, state, paidSoFar ?? null],
    );
  }

  /** Stores a payment; false when its key was already stored (a duplicate delivery). */
  async insertPayment(payment: ReconciliationPaymentRow): Promise<boolean> {
    const rows = await this.manager.query<unknown[]>(
      `INSERT INTO recon_payments (payment_key, source, transaction_id, linked_order_key, norm_reference, currency,
         amount, fee, paid_at, state, allocated_order_key, allocated_amount, facts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (payment_key) DO NOTHING RETURNING payment_key`,
      [
        payment.paymentKey,
        payment.source,
        payment.transactionId,
        payment.linkedOrderKey,
        payment.normReference,
        payment.currency,
        payment.amount,
        payment.fee,
        payment.paidAt,
        payment.state,
        payment.allocatedOrderKey,
        payment.allocatedAmount,
        JSON.stringify(payment.facts),
      ],
    );
    return rows.length === 1;
  }

  /** Payments by key, in no particular order. */
  async getPayments(keys: readonly string[]): Promise<ReconciliationPaymentRow[]> {
    if (keys.length === 0) return [];
    return this.manager.query<ReconciliationPaymentRow[]>(
      `SELECT ${PAYMENT_COLUMNS} FROM recon_payments WHERE payment_key = ANY($1)`,
      [keys],
    );
  }

  /** Link rows (Clarity payments) that tie any of these transaction ids to an order. */
  async findLinks(transactionIds: readonly string[]): Promise<ReconciliationPaymentRow[]> {
    if (transactionIds.length === 0) return [];
    return this.manager.query<ReconciliationPaymentRow[]>(
      `SELECT ${PAYMENT_COLUMNS} FROM recon_payments WHERE state = 'link' AND transaction_id = ANY($1)`,
      [transactionIds],
    );
  }

  /** Open payments (not links) named by transaction id or reference, or within an amount window and the date range. */
  async findOpenPayments(query: ReconciliationCandidateQuery): Promise<ReconciliationPaymentRow[]> {
    const parts = [
      `SELECT ${PAYMENT_COLUMNS} FROM recon_payments WHERE state = 'open'
         AND (transaction_id = ANY($1) OR norm_reference = ANY($2))`,
    ];
    const params: unknown[] = [query.transactionIds ?? [], query.normReferences ?? []];
    if ((query.amountWindows ?? []).length > 0) params.push(...dateRange(query));
    for (const window of query.amountWindows ?? []) {
      params.push(window.currency, window.min, window.max);
      const at = params.length;
      parts.push(
        `SELECT ${PAYMENT_COLUMNS} FROM recon_payments WHERE state = 'open' AND currency = $${at - 2}
           AND amount BETWEEN $${at - 1} AND $${at} AND paid_at BETWEEN $3 AND $4`,
      );
    }
    return this.manager.query<ReconciliationPaymentRow[]>(parts.join(' UNION '), params);
  }

  /** Payoneer payments waiting in review that carry one of these transaction ids or (normalised) references. */
  async findPaymentsInReview(query: {
    transactionIds?: readonly string[];
    normReferences?: readonly string[];
  }): Promise<ReconciliationPaymentRow[]> {
    const transactionIds = query.transactionIds ?? [];
    const normReferences = query.normReferences ?? [];
    if (transactionIds.length === 0 && normReferences.length === 0) return [];
    return this.manager.query<ReconciliationPaymentRow[]>(
      `SELECT ${PAYMENT_COLUMNS} FROM recon_payments
        WHERE state = 'review' AND source = 'payoneer'
          AND (transaction_id = ANY($1) OR norm_reference = ANY($2))`,
      [transactionIds, normReferences],
    );
  }

  /** Payments held as part-payments of these orders. */
  async findAllocatedTo(orderKeys: readonly string[]): Promise<ReconciliationPaymentRow[]> {
    if (orderKeys.length === 0) return [];
    return this.manager.query<ReconciliationPaymentRow[]>(
      `SELECT ${PAYMENT_COLUMNS} FROM recon_payments WHERE state = 'partial' AND allocated_order_key = ANY($1)`,
      [orderKeys],
    );
  }

  /** Sets payments' state and (for part-payments) the order and amount they are held against. */
  async updatePayments(
    keys: readonly string[],
    state: ReconciliationItemState,
    allocation?: { orderKey: string; amount: string; details: unknown },
  ): Promise<void> {
    // A held part-payment keeps its allocation (amounts in the order currency) beside its facts for the entry posted later.
    await this.manager.query(
      `UPDATE recon_payments SET state = $2, allocated_order_key = COALESCE($3, allocated_order_key),
         allocated_amount = COALESCE($4, allocated_amount),
         facts = CASE WHEN $5::jsonb IS NULL THEN facts ELSE jsonb_set(facts, '{allocation}', $5::jsonb) END,
         updated_at = now()
       WHERE payment_key = ANY($1) RETURNING payment_key`,
      [
        keys,
        state,
        allocation?.orderKey ?? null,
        allocation?.amount ?? null,
        allocation === undefined ? null : JSON.stringify(allocation.details),
      ],
    );
  }

  /** Open or part-paid orders and open or part-held payments older than `before`, with no open review item yet. */
  async findStale(before: Date): Promise<{
    orders: ReconciliationOrderRow[];
    payments: ReconciliationPaymentRow[];
  }> {
    const orders = await this.manager.query<ReconciliationOrderRow[]>(
      `SELECT ${ORDER_COLUMNS} FROM recon_orders WHERE state IN ('open', 'partial') AND placed_at < $1`,
      [before],
    );
    const payments = await this.manager.query<ReconciliationPaymentRow[]>(
      `SELECT ${PAYMENT_COLUMNS} FROM recon_payments WHERE state IN ('open', 'partial') AND paid_at < $1`,
      [before],
    );
    return { orders, payments };
  }

  /** Stores a match; when its journal reference exists already (a replay) returns the stored one instead. */
  async insertMatch(match: NewReconciliationMatch): Promise<ReconciliationMatchRecord> {
    await this.manager.query(
      `INSERT INTO recon_matches (kind, score, currency, amount, fee, day, order_keys, payment_keys, evidence, plan,
         journal_reference, review_item_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (journal_reference) DO NOTHING RETURNING id`,
      [
        match.kind,
        match.score,
        match.currency,
        match.amount,
        match.fee,
        match.day,
        match.orderKeys,
        match.paymentKeys,
        JSON.stringify(match.evidence),
        JSON.stringify(match.plan),
        match.journalReference,
        match.reviewItemId,
      ],
    );
    const stored = await this.manager.findOneBy(ReconciliationMatchRecord, {
      journalReference: match.journalReference,
    });
    if (stored === null) throw new PersistenceError('recon_matches insert left no row');
    return stored;
  }

  /** One match, or undefined. */
  async getMatch(id: string): Promise<ReconciliationMatchRecord | undefined> {
    return (await this.manager.findOneBy(ReconciliationMatchRecord, { id })) ?? undefined;
  }

  /** Matches that hold any of these payments or orders. */
  async findMatchesFor(keys: readonly string[]): Promise<ReconciliationMatchRecord[]> {
    return this.manager
      .createQueryBuilder(ReconciliationMatchRecord, 'm')
      .where('(m.paymentKeys && CAST(:keys AS text[]) OR m.orderKeys && CAST(:keys AS text[]))', {
        keys,
      })
      .orderBy('m.createdAt', 'ASC')
      .getMany();
  }

  /** Matches whose journal entry is not posted yet, oldest first (for retrying postings that failed). */
  async listUnpostedMatches(limit: number): Promise<ReconciliationMatchRecord[]> {
    return this.manager
      .createQueryBuilder(ReconciliationMatchRecord, 'm')
      .where("m.status = 'to_post'")
      .orderBy('m.createdAt', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Marks a match posted once; returns true only for the call that did it. */
  async markMatchPosted(id: string, erpReference: string): Promise<boolean> {
    const rows = await this.updated(
      `UPDATE recon_matches SET status = 'posted', erp_reference = $2, posted_at = now()
       WHERE id = $1 AND status = 'to_post' RETURNING id`,
      [id, erpReference],
    );
    return rows.length === 1;
  }

  /** Opens a review item; if the subject has one open already, returns that one. */
  async openReviewItem(item: NewReconciliationReviewItem): Promise<ReconciliationReviewItemRecord> {
    await this.manager.query(
      `INSERT INTO recon_review_items (reason, subject_type, subject_key, currency, amount, day, candidates, evidence)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (subject_type, subject_key) WHERE status = 'open' DO NOTHING`,
      [
        item.reason,
        item.subjectType,
        item.subjectKey,
        item.currency,
        item.amount,
        item.day,
        JSON.stringify(item.candidates),
        JSON.stringify(item.evidence),
      ],
    );
    const stored = await this.manager.findOneBy(ReconciliationReviewItemRecord, {
      subjectType: item.subjectType,
      subjectKey: item.subjectKey,
      status: 'open',
    });
    if (stored === null) throw new PersistenceError('recon_review_items insert left no open row');
    return stored;
  }

  /** One review item, or undefined. */
  async getReviewItem(id: string): Promise<ReconciliationReviewItemRecord | undefined> {
    return (await this.manager.findOneBy(ReconciliationReviewItemRecord, { id })) ?? undefined;
  }

  /** Review items matching `filter`, newest first. */
  async listReviewItems(
    filter: ReviewItemFilter = {},
    page: PageRequest = {},
  ): Promise<Page<ReconciliationReviewItemRecord>> {
    const query = this.manager.createQueryBuilder(ReconciliationReviewItemRecord, 'r');
    if (filter.status !== undefined)
      query.andWhere('r.status = :status', { status: filter.status });
    if (filter.reason !== undefined)
      query.andWhere('r.reason = :reason', { reason: filter.reason });
    if (filter.currency !== undefined)
      query.andWhere('r.currency = :currency', { currency: filter.currency });
    if (filter.subjectKey !== undefined)
      query.andWhere('r.subjectKey = :subjectKey', { subjectKey: filter.subjectKey });
    return fetchPage(query, { alias: 'r', at: 'createdAt', id: 'id' }, page, 'review items');
  }

  /** Closes an open review item; false when it was not open (someone resolved it first). */
  async closeReviewItem(
    id: string,
    status: 'resolved' | 'dismissed',
    resolution: Record<string, unknown>,
    resolvedBy: string,
  ): Promise<boolean> {
    const rows = await this.updated(
      `UPDATE recon_review_items SET status = $2, resolution = $3, resolved_by = $4, resolved_at = now()
       WHERE id = $1 AND status = 'open' RETURNING id`,
      [id, status, JSON.stringify(resolution), resolvedBy],
    );
    return rows.length === 1;
  }

  /** Rows an UPDATE … RETURNING gave back: the plain query() shapes UPDATE results as [rows, count]. */
  private async updated(sql: string, params: unknown[]): Promise<unknown[]> {
    const own = this.manager.queryRunner === undefined;
    const runner = this.manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const result = (await runner.query(sql, params, true)) as QueryResult<unknown>;
      return result.records;
    } finally {
      if (own) await runner.release();
    }
  }

  /** Status per day and currency between `from` and `to` (inclusive days): matched, posted, pending and in review, with amounts and fees. */
  async report(from: string, to: string): Promise<ReconciliationReportRow[]> {
    const rows = await this.manager.query<
      Array<
        Omit<
          ReconciliationReportRow,
          'matchedCount' | 'postedCount' | 'pendingCount' | 'inReviewCount'
        > & {
          matchedCount: string;
          postedCount: string;
          pendingCount: string;
          inReviewCount: string;
        }
      >
    >(
      `WITH facts AS (
         SELECT day, currency, 1 AS matched, amount AS matched_amount, fee, (status = 'posted')::int AS posted,
                0 AS pending, 0::numeric AS pending_amount, 0 AS in_review, 0::numeric AS in_review_amount
           FROM recon_matches WHERE kind IN ('exact', 'scored', 'manual') AND day BETWEEN $1 AND $2
         UNION ALL
         SELECT (paid_at AT TIME ZONE 'UTC')::date, currency, 0, 0, 0, 0, 1, amount, 0, 0
           FROM recon_payments WHERE state IN ('open', 'partial') AND (paid_at AT TIME ZONE 'UTC')::date BETWEEN $1 AND $2
         UNION ALL
         SELECT day, currency, 0, 0, 0, 0, 0, 0, 1, amount
           FROM recon_review_items WHERE status = 'open' AND day BETWEEN $1 AND $2
       )
       SELECT to_char(day, 'YYYY-MM-DD') AS day, currency,
              sum(matched)::text AS "matchedCount", sum(matched_amount)::text AS "matchedAmount",
              sum(fee)::text AS fees, sum(posted)::text AS "postedCount",
              sum(pending)::text AS "pendingCount", sum(pending_amount)::text AS "pendingAmount",
              sum(in_review)::text AS "inReviewCount", sum(in_review_amount)::text AS "inReviewAmount"
         FROM facts GROUP BY day, currency ORDER BY day, currency`,
      [from, to],
    );
    return rows.map((row) => ({
      ...row,
      matchedCount: Number(row.matchedCount),
      postedCount: Number(row.postedCount),
      pendingCount: Number(row.pendingCount),
      inReviewCount: Number(row.inReviewCount),
    }));
  }
}

function dateRange(query: ReconciliationCandidateQuery): [Date, Date] {
  if (query.range === undefined) {
    throw new PersistenceInputError('reconciliation candidate query: amountWindows need a range');
  }
  return [query.range.from, query.range.to];
}
