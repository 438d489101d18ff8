import { Decimal } from 'decimal.js';
import {
  AuditLogRepository,
  type Page,
  type PageRequest,
  type ReconciliationMatchRecord,
  type ReconciliationOrderRow,
  type ReconciliationPaymentRow,
  type ReconciliationReportRow,
  ReconciliationRepository,
  type ReconciliationReviewItemRecord,
  type ReviewItemFilter,
} from '@switchboard/persistence';
import { type DataSource } from 'typeorm';
import {
  type CanonicalOrder,
  type CanonicalPayment,
  type JournalEntryPlan,
} from './canonical-records';
import { buildCorrectionEntryPlan, buildRevenueEntryPlan } from './journal-entry-plan.builder';
import {
  type MatchResult,
  type OrderCandidate,
  type PaymentAllocation,
} from './matcher/match-result';
import { matchPayment } from './matcher/payment-matcher';
import { normalizeReference, referenceTokens } from './matcher/reference-similarity';
import { type ReconciliationConfig, resolveReconciliationConfig } from './reconciliation-config';
import { type ReconciliationDecision } from './reconciliation-decision';
import {
  type OrderFacts,
  type PaymentFacts,
  toOrderFacts,
  toPaymentFacts,
} from './reconciliation-facts';
import {
  ReconciliationInputError,
  ReconciliationNotFoundError,
  ReviewConflictError,
} from './reconciliation.errors';

/** How a payment row keeps its facts: the payment, and for a held part-payment its money in the order currency. */
interface StoredPayment {
  payment: PaymentFacts;
  allocation?: PaymentAllocation;
}

type Repo = ReconciliationRepository;

const DAY_MS = 86_400_000;

/** Review reasons new evidence (a Clarity payment, the named order) can settle: the matcher lacked evidence, not sense. */
const REMATCHED_ON_EVIDENCE = new Set<string>(['low_confidence', 'ambiguous']);

export interface ReconciliationServiceOptions {
  /** Now, for the unmatched-item sweep; tests pass a fixed clock. */
  clock?: () => Date;
}

/**
 * The stateful reconciliation engine over Postgres: keeps open orders and payments, matches each
 * Payoneer payment with the pure matcher, stores matches (with evidence and the journal entry plan)
 * and review items, and marks postings so a replay never posts twice. Every ingest runs in one
 * transaction under one lock, so concurrent workers never claim the same order twice.
 */
export class ReconciliationService {
  readonly config: ReconciliationConfig;
  private readonly repository: ReconciliationRepository;
  private readonly audit: AuditLogRepository;
  private readonly clock: () => Date;

  constructor(
    dataSource: DataSource,
    config: Partial<ReconciliationConfig> = {},
    options: ReconciliationServiceOptions = {},
  ) {
    this.config = resolveReconciliationConfig(config);
    this.repository = new ReconciliationRepository(dataSource);
    this.audit = new AuditLogRepository(dataSource);
    this.clock = options.clock ?? (() => new Date());
  }

  /** Records a canonical order and matches any waiting payment that pays it. */
  async ingestOrder(canonicalOrder: CanonicalOrder): Promise<ReconciliationDecision> {
    const order = toOrderFacts(canonicalOrder);
    return this.repository.transaction(async (repo) => {
      const inserted = await repo.insertOrder({
        orderKey: order.key,
        orderNumber: order.orderNumber ?? null,
        normReference:
          order.orderNumber === undefined ? null : normalizeReference(order.orderNumber),
        currency: order.currency,
        total: order.total,
        paidSoFar: '0',
        placedAt: new Date(order.placedAt),
        state: 'open',
        facts: order,
      });
      if (!inserted) return this.currentDecision(repo, order.key, 'order');
      const waiting = await repo.findOpenPayments({
        normReferences:
          order.orderNumber === undefined ? [] : [normalizeReference(order.orderNumber)],
        amountWindows: [
          this.amountWindow(order.currency, new Decimal(order.total), new Decimal(0)),
        ],
        range: {
          from: new Date(Date.parse(order.placedAt) - this.config.dateWindowBeforeDays * DAY_MS),
          to: new Date(Date.parse(order.placedAt) + 2 * this.config.dateWindowDays * DAY_MS),
        },
      });
      waiting.sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime());
      let decision: ReconciliationDecision = {
        status: 'pending',
        reason: 'awaiting-payment',
        duplicate: false,
      };
      for (const row of waiting) {
        const outcome = await this.reconcile(repo, (row.facts as StoredPayment).payment);
        if (outcome.status === 'matched' && outcome.orderKeys.includes(order.key)) return outcome;
        if (outcome.status === 'pending' && outcome.reason === 'partial') decision = outcome;
      }
      if (order.orderNumber !== undefined) {
        // A payment naming this order that came first may have gone to review on amount alone.
        const rematched = await this.rematchReviewed(
          repo,
          { normReferences: [normalizeReference(order.orderNumber)] },
          'rematch-on-order',
        );
        if (rematched?.orderKeys.includes(order.key)) return rematched;
      }
      return decision;
    });
  }

  /** Records a canonical payment: a Payoneer payment is matched; a Clarity payment ties its transaction id to its order. */
  async ingestPayment(canonicalPayment: CanonicalPayment): Promise<ReconciliationDecision> {
    const payment = toPaymentFacts(canonicalPayment);
    if (payment.status !== 'completed') {
      return { status: 'pending', reason: 'not-completed', duplicate: false };
    }
    return this.repository.transaction(async (repo) => {
      const isLink = payment.source !== 'payoneer';
      if (isLink && payment.orderKey === undefined) {
        throw new ReconciliationInputError(
          `payment ${payment.key}: orderId is required on a ${payment.source} payment`,
        );
      }
      const inserted = await repo.insertPayment({
        paymentKey: payment.key,
        source: payment.source,
        transactionId: payment.transactionId,
        linkedOrderKey: payment.orderKey ?? null,
        normReference:
          payment.orderReference === undefined ? null : normalizeReference(payment.orderReference),
        currency: payment.currency,
        amount: payment.amount,
        fee: payment.fee,
        paidAt: new Date(payment.paidAt),
        state: isLink ? 'link' : 'open',
        allocatedOrderKey: null,
        allocatedAmount: null,
        facts: { payment } satisfies StoredPayment,
      });
      if (!inserted) return this.currentDecision(repo, payment.key, 'payment');
      if (!isLink) return this.reconcile(repo, payment);
      // A Clarity payment may be what a waiting Payoneer payment needed: its transaction id names the order.
      const waiting = await repo.findOpenPayments({ transactionIds: [payment.transactionId] });
      for (const row of waiting.filter((candidate) => candidate.source === 'payoneer')) {
        const outcome = await this.reconcile(repo, (row.facts as StoredPayment).payment);
        if (outcome.status !== 'pending') return outcome;
      }
      const resolved = await this.rematchReviewed(
        repo,
        { transactionIds: [payment.transactionId] },
        'rematch-on-link',
      );
      return resolved ?? { status: 'pending', reason: 'link', duplicate: false };
    });
  }

  /** Marks a match's journal entry posted; true for the first call, false for a replay (which must not post again). */
  async markPosted(
    matchId: string,
    erpReference: string,
    actor = 'system',
  ): Promise<{ firstTime: boolean; match: ReconciliationMatchRecord }> {
    if (erpReference.trim() === '')
      throw new ReconciliationInputError('markPosted: erpReference must not be empty');
    const firstTime = await this.repository.markMatchPosted(matchId, erpReference);
    const match = await this.repository.getMatch(matchId);
    if (match === undefined)
      throw new ReconciliationNotFoundError(`match ${matchId} does not exist`);
    if (firstTime) {
      await this.audit.append({
        actor,
        action: 'reconciliation.posted',
        subjectType: 'reconciliation_match',
        subjectId: matchId,
        details: { erpReference },
      });
    }
    return { firstTime, match };
  }

  /** Matches (revenue entries and corrections) whose journal entry was not posted yet, oldest first. */
  async listUnpostedMatches(limit = 100): Promise<ReconciliationMatchRecord[]> {
    return this.repository.listUnpostedMatches(limit);
  }

  /** One match with its evidence and plan. */
  async getMatch(matchId: string): Promise<ReconciliationMatchRecord> {
    const match = await this.repository.getMatch(matchId);
    if (match === undefined)
      throw new ReconciliationNotFoundError(`match ${matchId} does not exist`);
    return match;
  }

  /** Review items, newest first, filtered by status, reason, currency or subject. */
  async listReviewItems(
    filter: ReviewItemFilter = {},
    page: PageRequest = {},
  ): Promise<Page<ReconciliationReviewItemRecord>> {
    return this.repository.listReviewItems(filter, page);
  }

  /** One review item with the candidates the matcher weighed and their evidence. */
  async getReviewItem(id: string): Promise<ReconciliationReviewItemRecord> {
    const item = await this.repository.getReviewItem(id);
    if (item === undefined)
      throw new ReconciliationNotFoundError(`review item ${id} does not exist`);
    return item;
  }

  /**
   * Accepts a match for a review item: the top candidate, or `orderKeys` (payment items) /
   * `paymentKeys` (order items) the reviewer chose — a re-match. Any difference is booked on the
   * exchange difference account; record an adjustment first to book it elsewhere.
   */
  async approve(
    id: string,
    actor: string,
    choice: { orderKeys?: string[]; paymentKeys?: string[] } = {},
  ): Promise<Extract<ReconciliationDecision, { status: 'matched' }>> {
    const rematch = choice.orderKeys !== undefined || choice.paymentKeys !== undefined;
    const decision = await this.repository.transaction(async (repo) => {
      const item = await this.openItem(repo, id);
      let orderKeys: string[];
      let paymentKeys: string[];
      if (item.subjectType === 'payment') {
        paymentKeys = [item.subjectKey];
        const top = (item.candidates[0] as { orderKeys?: string[] } | undefined)?.orderKeys;
        orderKeys = choice.orderKeys ?? top ?? [];
        if (orderKeys.length === 0)
          throw new ReviewConflictError(
            `review item ${id} has no candidate: choose orderKeys to re-match`,
          );
      } else {
        orderKeys = [item.subjectKey];
        paymentKeys = choice.paymentKeys ?? [];
        if (paymentKeys.length === 0)
          throw new ReviewConflictError(
            `review item ${id} is an order: choose paymentKeys to match it with`,
          );
      }
      const matched = await this.matchManually(repo, orderKeys, paymentKeys, id);
      await repo.closeReviewItem(
        id,
        'resolved',
        {
          action: rematch ? 'rematch' : 'approve',
          matchId: matched.matchId,
          orderKeys,
          paymentKeys,
        },
        actor,
      );
      return matched;
    });
    await this.audit.append({
      actor,
      action: rematch ? 'reconciliation.review.rematch' : 'reconciliation.review.approve',
      subjectType: 'reconciliation_review_item',
      subjectId: id,
      details: {
        matchId: decision.matchId,
        orderKeys: decision.orderKeys,
        paymentKeys: decision.paymentKeys,
      },
    });
    return decision;
  }

  /** Records an adjustment or partial-refund entry for a review item (the item stays open until approved or dismissed). */
  async recordCorrection(
    id: string,
    actor: string,
    correction: { kind: 'adjustment' | 'refund'; amount: string; remark: string },
  ): Promise<{ matchId: string; plan: JournalEntryPlan }> {
    if (correction.remark.trim() === '')
      throw new ReconciliationInputError(`${correction.kind}: remark must say why`);
    const result = await this.repository.transaction(async (repo) => {
      const item = await this.openItem(repo, id);
      // Numbered per review item, so the ERP's idempotency by reference still lets a second correction through.
      const earlier = (await repo.findMatchesFor([item.subjectKey])).filter(
        (match) => match.reviewItemId === id && match.kind === correction.kind,
      );
      const reference = `${correction.kind}:review:${id}:${earlier.length + 1}`;
      const [source, ...rest] = item.subjectKey.split(':');
      const plan = buildCorrectionEntryPlan(
        {
          kind: correction.kind,
          reference,
          currency: item.currency,
          amount: correction.amount,
          postingDate: this.clock().toISOString().slice(0, 10),
          remark: correction.remark,
          records: [
            {
              type: item.subjectType,
              source: source as 'clarity' | 'payoneer' | 'erp',
              sourceId: rest.join(':'),
            },
          ],
        },
        this.config,
      );
      const match = await repo.insertMatch({
        kind: correction.kind,
        score: '1',
        currency: item.currency,
        amount: correction.amount,
        fee: '0',
        day: plan.postingDate,
        orderKeys: item.subjectType === 'order' ? [item.subjectKey] : [],
        paymentKeys: item.subjectType === 'payment' ? [item.subjectKey] : [],
        evidence: { reviewItemId: id, remark: correction.remark, actor },
        plan: plan as unknown as Record<string, unknown>,
        journalReference: reference,
        reviewItemId: id,
      });
      return { matchId: match.id, plan };
    });
    await this.audit.append({
      actor,
      action: `reconciliation.review.${correction.kind}`,
      subjectType: 'reconciliation_review_item',
      subjectId: id,
      details: { matchId: result.matchId, amount: correction.amount, remark: correction.remark },
    });
    return result;
  }

  /** Closes a review item without a match; the reason is kept and audited. */
  async dismiss(id: string, actor: string, reason: string): Promise<void> {
    if (reason.trim() === '')
      throw new ReconciliationInputError('dismiss: reason must not be empty');
    await this.repository.transaction(async (repo) => {
      const item = await this.openItem(repo, id);
      await repo.closeReviewItem(id, 'dismissed', { action: 'dismiss', reason }, actor);
      if (item.subjectType === 'payment') await repo.updatePayments([item.subjectKey], 'dismissed');
      else await repo.updateOrders([item.subjectKey], 'dismissed');
    });
    await this.audit.append({
      actor,
      action: 'reconciliation.review.dismiss',
      subjectType: 'reconciliation_review_item',
      subjectId: id,
      details: { reason },
    });
  }

  /** Sends orders and payments still unmatched (or part-paid) after the configured window to review; returns how many. */
  async sweepUnmatched(): Promise<number> {
    const before = new Date(
      this.clock().getTime() - this.config.unmatchedReviewAfterHours * 3_600_000,
    );
    return this.repository.transaction(async (repo) => {
      const stale = await repo.findStale(before);
      for (const row of stale.payments) {
        await repo.openReviewItem({
          reason: row.state === 'partial' ? 'partial' : 'unmatched',
          subjectType: 'payment',
          subjectKey: row.paymentKey,
          currency: row.currency,
          amount: row.amount,
          day: row.paidAt.toISOString().slice(0, 10),
          candidates:
            row.allocatedOrderKey === null ? [] : [{ orderKeys: [row.allocatedOrderKey] }],
          evidence: {
            rules: [
              {
                rule: 'unmatched.stale',
                detail: `older than ${this.config.unmatchedReviewAfterHours} h`,
              },
            ],
          },
        });
      }
      for (const row of stale.orders) {
        await repo.openReviewItem({
          reason: row.state === 'partial' ? 'partial' : 'unmatched',
          subjectType: 'order',
          subjectKey: row.orderKey,
          currency: row.currency,
          amount: new Decimal(row.total).minus(row.paidSoFar).toFixed(2),
          day: row.placedAt.toISOString().slice(0, 10),
          candidates: [],
          evidence: {
            rules: [
              {
                rule: 'unmatched.stale',
                detail: `older than ${this.config.unmatchedReviewAfterHours} h`,
              },
            ],
            paidSoFar: row.paidSoFar,
          },
        });
      }
      // Part-payments stay held against their order; the review item says so. Everything else leaves the matching pool.
      await repo.updatePayments(
        stale.payments.filter((row) => row.state === 'open').map((row) => row.paymentKey),
        'review',
      );
      await repo.updateOrders(
        stale.orders.filter((row) => row.state === 'open').map((row) => row.orderKey),
        'review',
      );
      return stale.payments.length + stale.orders.length;
    });
  }

  /** Reconciliation status per day and currency (inclusive YYYY-MM-DD range): matched, posted, pending, in review, amounts and fees. */
  async report(from: string, to: string): Promise<ReconciliationReportRow[]> {
    for (const [name, value] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
        throw new ReconciliationInputError(
          `report ${name} must be YYYY-MM-DD, got ${JSON.stringify(value)}`,
        );
    }
    return this.repository.report(from, to);
  }

  /**
   * A Payoneer payment that reached us before what names its order — the Clarity payment with its
   * transaction id, or the order whose number it quotes — went to review for want of evidence
   * (amount and date only). Match it again now, and close the review item when that succeeds.
   */
  private async rematchReviewed(
    repo: Repo,
    query: { transactionIds?: string[]; normReferences?: string[] },
    action: 'rematch-on-link' | 'rematch-on-order',
  ): Promise<Extract<ReconciliationDecision, { status: 'matched' }> | undefined> {
    for (const row of await repo.findPaymentsInReview(query)) {
      const open = await repo.listReviewItems(
        { subjectKey: row.paymentKey, status: 'open' },
        { limit: 1 },
      );
      const item = open.items[0];
      // A mismatch or a duplicate stays with the reviewer: new evidence does not change those answers.
      if (item === undefined || !REMATCHED_ON_EVIDENCE.has(item.reason)) continue;
      const outcome = await this.reconcile(repo, (row.facts as StoredPayment).payment);
      const held = outcome.status === 'pending' && outcome.reason === 'partial';
      if (outcome.status !== 'matched' && !held) continue;
      await repo.closeReviewItem(
        item.id,
        'resolved',
        outcome.status === 'matched'
          ? { action, matchId: outcome.matchId, ...query }
          : { action, heldAsPartPayment: true, ...query },
        'system',
      );
      if (outcome.status === 'matched') return outcome;
    }
    return undefined;
  }

  private async reconcile(repo: Repo, payment: PaymentFacts): Promise<ReconciliationDecision> {
    const candidates = await this.loadCandidates(repo, payment);
    const result = matchPayment(payment, candidates, this.config);
    const evidence = result.evidence as unknown as Record<string, unknown>;
    switch (result.outcome) {
      case 'auto': {
        if (result.allocation === undefined)
          throw new Error('matcher returned auto without an allocation');
        const orders = candidates
          .filter((candidate) => result.orderKeys.includes(candidate.order.key))
          .map((candidate) => candidate.order);
        const held = await repo.findAllocatedTo(result.orderKeys);
        return this.recordMatch(repo, {
          kind: result.kind,
          score: result.score,
          orders,
          payments: [
            ...held.map((row) => storedOf(row)),
            { payment, allocation: result.allocation },
          ],
          evidence,
          reviewItemId: null,
        });
      }
      case 'partial': {
        const orderKey = result.orderKeys[0];
        const candidate = candidates.find((each) => each.order.key === orderKey);
        if (orderKey === undefined || candidate === undefined || result.allocation === undefined)
          throw new Error('matcher returned partial without its order');
        await repo.updatePayments([payment.key], 'partial', {
          orderKey,
          amount: result.allocation.gross,
          details: result.allocation,
        });
        await repo.updateOrders(
          [orderKey],
          'partial',
          new Decimal(candidate.paidSoFar).plus(result.allocation.gross).toFixed(4),
        );
        return {
          status: 'pending',
          reason: 'partial',
          duplicate: false,
          evidence: result.evidence,
        };
      }
      case 'review': {
        const item = await repo.openReviewItem({
          reason: result.reviewReason ?? 'low_confidence',
          subjectType: 'payment',
          subjectKey: payment.key,
          currency: payment.currency,
          amount: payment.amount,
          day: payment.paidAt.slice(0, 10),
          candidates: result.evidence.candidates,
          evidence,
        });
        await repo.updatePayments([payment.key], 'review');
        return {
          status: 'review',
          reviewItemId: item.id,
          reason: item.reason,
          score: result.score,
          duplicate: false,
          evidence,
        };
      }
      case 'unmatched':
        return {
          status: 'pending',
          reason: 'unmatched',
          duplicate: false,
          evidence: result.evidence,
        };
    }
  }

  private async recordMatch(
    repo: Repo,
    match: {
      kind: 'exact' | 'scored' | 'manual';
      score: number;
      orders: OrderFacts[];
      payments: StoredPayment[];
      evidence: Record<string, unknown>;
      reviewItemId: string | null;
    },
  ): Promise<Extract<ReconciliationDecision, { status: 'matched' }>> {
    const allocations = match.payments.map((stored) => {
      if (stored.allocation === undefined)
        throw new ReviewConflictError(
          `payment ${stored.payment.key} has no amount in the order currency`,
        );
      return stored.allocation;
    });
    const latest =
      match.payments
        .map((stored) => stored.payment.paidAt)
        .sort()
        .at(-1) ?? this.clock().toISOString();
    const plan = buildRevenueEntryPlan(
      {
        orders: match.orders,
        payments: match.payments.map((stored) => stored.payment),
        allocations,
        postingDate: latest.slice(0, 10),
      },
      this.config,
    );
    const revenue = plan.lines
      .filter((line) => line.account === this.config.accounts.revenue)
      .reduce((sum, line) => sum.plus(line.credit), new Decimal(0));
    const orderKeys = match.orders.map((order) => order.key).sort();
    const paymentKeys = match.payments.map((stored) => stored.payment.key);
    const stored = await repo.insertMatch({
      kind: match.kind,
      score: match.score.toFixed(4),
      currency: plan.currency,
      amount: revenue.toFixed(2),
      fee: allocations
        .reduce((sum, allocation) => sum.plus(allocation.fee), new Decimal(0))
        .toFixed(2),
      day: plan.postingDate,
      orderKeys,
      paymentKeys,
      evidence: match.evidence,
      plan: plan as unknown as Record<string, unknown>,
      journalReference: plan.reference,
      reviewItemId: match.reviewItemId,
    });
    if (stored.paymentKeys.join() !== paymentKeys.join()) {
      throw new ReviewConflictError(
        `orders ${orderKeys.join(', ')} are reconciled already (match ${stored.id})`,
      );
    }
    await repo.updateOrders(orderKeys, 'matched');
    await repo.updatePayments(paymentKeys, 'matched');
    return {
      status: 'matched',
      matchId: stored.id,
      kind: match.kind,
      score: match.score,
      orderKeys,
      paymentKeys,
      plan,
      posted: stored.status === 'posted',
      duplicate: false,
      evidence: match.evidence,
    };
  }

  private async matchManually(
    repo: Repo,
    orderKeys: string[],
    paymentKeys: string[],
    reviewItemId: string,
  ) {
    const orders = await repo.getOrders(orderKeys);
    const payments = await repo.getPayments(paymentKeys);
    for (const key of orderKeys) {
      const row = orders.find((order) => order.orderKey === key);
      if (row === undefined) throw new ReconciliationNotFoundError(`order ${key} does not exist`);
      if (row.state === 'matched' || row.state === 'dismissed')
        throw new ReviewConflictError(`order ${key} is ${row.state} already`);
    }
    for (const key of paymentKeys) {
      const row = payments.find((payment) => payment.paymentKey === key);
      if (row === undefined) throw new ReconciliationNotFoundError(`payment ${key} does not exist`);
      if (row.state === 'matched' || row.state === 'dismissed' || row.state === 'link')
        throw new ReviewConflictError(
          `payment ${key} is ${row.state === 'link' ? 'a Clarity payment' : row.state + ' already'}`,
        );
    }
    const candidates: OrderCandidate[] = orders.map((row) => ({
      ...candidateOf(row, []),
      state: 'open',
    }));
    const held = await repo.findAllocatedTo(orderKeys);
    const lenient = { ...this.config, autoPostThreshold: 0, reviewThreshold: 0, minimumMargin: 0 };
    const stored: StoredPayment[] = held
      .filter((row) => !paymentKeys.includes(row.paymentKey))
      .map(storedOf);
    for (const row of payments) {
      const { payment } = row.facts as StoredPayment;
      const result: MatchResult = matchPayment(payment, candidates, lenient);
      const allocation = result.allocation ?? (row.facts as StoredPayment).allocation;
      if (allocation === undefined)
        throw new ReviewConflictError(
          `payment ${payment.key} cannot be converted to ${orders[0]?.currency ?? 'the order currency'}`,
        );
      stored.push({ payment, allocation });
    }
    return this.recordMatch(repo, {
      kind: 'manual',
      score: 1,
      orders: orders.map((row) => row.facts as OrderFacts),
      payments: stored,
      evidence: { reviewItemId, rules: [{ rule: 'review.approved' }] },
      reviewItemId,
    });
  }

  private async loadCandidates(repo: Repo, payment: PaymentFacts): Promise<OrderCandidate[]> {
    const links = await repo.findLinks([payment.transactionId]);
    const linkedKeys = links
      .map((link) => link.linkedOrderKey)
      .filter((key): key is string => key !== null);
    const references =
      payment.orderReference === undefined
        ? []
        : [normalizeReference(payment.orderReference), ...referenceTokens(payment.orderReference)];
    const amount = new Decimal(payment.amount);
    const windows = [this.amountWindow(payment.currency, amount, new Decimal(payment.fee))];
    const fx = payment.fxRate;
    if (fx !== undefined) {
      const target = fx.sourceCurrency === payment.currency ? fx.targetCurrency : fx.sourceCurrency;
      const rate =
        fx.sourceCurrency === payment.currency ? new Decimal(fx.rate) : new Decimal(1).div(fx.rate);
      windows.push(
        this.amountWindow(target, amount.times(rate), new Decimal(payment.fee).times(rate)),
      );
    }
    if (
      payment.settledAmount !== undefined &&
      payment.settledAmount.currency !== payment.currency &&
      amount.gt(0)
    ) {
      const rate = new Decimal(payment.settledAmount.amount).div(amount);
      windows.push(
        this.amountWindow(
          payment.settledAmount.currency,
          amount.times(rate),
          new Decimal(payment.fee).times(rate),
        ),
      );
    }
    const paidAt = Date.parse(payment.paidAt);
    const rows = await repo.findOrderCandidates({
      keys: linkedKeys,
      normReferences: references,
      amountWindows: windows,
      range: {
        from: new Date(paidAt - 2 * this.config.dateWindowDays * DAY_MS),
        to: new Date(paidAt + (this.config.dateWindowBeforeDays + 1) * DAY_MS),
      },
    });
    const held = await repo.findAllocatedTo(
      rows.filter((row) => row.state === 'partial').map((row) => row.orderKey),
    );
    return rows.map((row) =>
      candidateOf(
        row,
        held
          .filter((payment) => payment.allocatedOrderKey === row.orderKey)
          .map((payment) => payment.paymentKey),
        links
          .filter((link) => link.linkedOrderKey === row.orderKey)
          .map((link) => link.transactionId),
      ),
    );
  }

  /** Totals a payment of `amount` (gross, or net of `fee`) could settle, widened by the rounding and FX tolerances. */
  private amountWindow(currency: string, amount: Decimal, fee: Decimal) {
    const slack = new Decimal(this.config.roundingTolerance).plus(
      amount.plus(fee).times(this.config.fxTolerance),
    );
    return {
      currency,
      min: Decimal.max(0, amount.minus(slack)).toFixed(4),
      max: amount.plus(fee).plus(slack).toFixed(4),
    };
  }

  private async openItem(repo: Repo, id: string): Promise<ReconciliationReviewItemRecord> {
    const item = await repo.getReviewItem(id);
    if (item === undefined)
      throw new ReconciliationNotFoundError(`review item ${id} does not exist`);
    if (item.status !== 'open')
      throw new ReviewConflictError(`review item ${id} is ${item.status} already`);
    return item;
  }

  private async currentDecision(
    repo: Repo,
    key: string,
    subjectType: 'order' | 'payment',
  ): Promise<ReconciliationDecision> {
    const matches = (await repo.findMatchesFor([key])).filter(
      (match) => match.kind === 'exact' || match.kind === 'scored' || match.kind === 'manual',
    );
    const match = matches[0];
    if (match !== undefined) {
      return {
        status: 'matched',
        matchId: match.id,
        kind: match.kind as 'exact' | 'scored' | 'manual',
        score: Number(match.score),
        orderKeys: match.orderKeys,
        paymentKeys: match.paymentKeys,
        plan: match.plan as unknown as JournalEntryPlan,
        posted: match.status === 'posted',
        duplicate: true,
        evidence: match.evidence,
      };
    }
    const open = await repo.listReviewItems({ subjectKey: key, status: 'open' }, { limit: 1 });
    const item = open.items[0];
    if (item !== undefined && item.subjectType === subjectType) {
      return {
        status: 'review',
        reviewItemId: item.id,
        reason: item.reason,
        score: 0,
        duplicate: true,
        evidence: item.evidence,
      };
    }
    return {
      status: 'pending',
      reason: subjectType === 'order' ? 'awaiting-payment' : 'unmatched',
      duplicate: true,
    };
  }
}

function storedOf(row: ReconciliationPaymentRow): StoredPayment {
  return row.facts as StoredPayment;
}

function candidateOf(
  row: ReconciliationOrderRow,
  heldPaymentKeys: string[],
  transactionIds: string[] = [],
): OrderCandidate {
  return {
    order: row.facts as OrderFacts,
    state: row.state === 'open' || row.state === 'partial' ? row.state : 'closed',
    paidSoFar: row.paidSoFar,
    heldPaymentKeys,
    transactionIds,
  };
}
