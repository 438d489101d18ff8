import { Injectable } from '@nestjs/common';
import type { ApiKeyRole } from '@switchboard/persistence';
import {
  type PayoutBatchPreview,
  type PayoutBatchQueueReport,
  type PayoutBatchView,
  type PayoutLine,
  parsePayoutCsv,
} from '@switchboard/payouts';
import { AuditLogRepository } from '@switchboard/persistence';
import { roleAllows } from '../access/role-allows';
import { ApiError } from '../http/api-error';
import { approvalRole } from './payout-approval';
import { PayoutsRuntime, type PayoutsWiring } from './payouts-runtime.service';

/** A batch with its progress, money per currency and who may approve it. */
export interface PayoutBatchSummary extends PayoutBatchView {
  /** `awaiting_approval` while items are drafts; `open` while any can still move; `done` after. */
  state: 'awaiting_approval' | 'open' | 'done';
  totals: Record<string, string>;
  approvalRole: ApiKeyRole;
}

/** Where a new batch's lines come from: exactly one of them. */
export interface BatchLinesSource {
  items?: PayoutLine[];
  csv?: string;
  fileName?: string;
  fromClarity: boolean;
}

/** The admin API's use cases over the payout services: building (or dry-running) batches, approval, summaries. */
@Injectable()
export class PayoutAdminService {
  constructor(
    private readonly payouts: PayoutsRuntime,
    private readonly audit: AuditLogRepository,
  ) {}

  /** What the batch would pay and what would go to review; nothing is stored. */
  async dryRun(source: BatchLinesSource): Promise<PayoutBatchPreview> {
    const wiring = this.payouts.require();
    return wiring.batches.previewBatch(await this.linesOf(source, wiring));
  }

  async create(
    source: BatchLinesSource,
    request: { reference: string; description?: string; createdBy: string },
  ): Promise<PayoutBatchSummary> {
    const wiring = this.payouts.require();
    let view: PayoutBatchView;
    if (source.fromClarity)
      view = await wiring.batches.createBatchFromPayables(wiring.payables, request);
    else if (source.csv !== undefined)
      view = await wiring.batches.createBatchFromCsv(
        source.csv,
        source.fileName ?? 'upload.csv',
        request,
      );
    else
      view = await wiring.batches.createBatch({
        ...request,
        source: 'api',
        lines: source.items ?? [],
      });
    return this.summary(wiring, view);
  }

  async get(batchId: string): Promise<PayoutBatchSummary> {
    const wiring = this.payouts.require();
    return this.summary(wiring, await wiring.batches.getBatch(batchId));
  }

  /** Approves and starts a batch: refused (403) when the caller's role is below what its totals need. */
  async approve(
    batchId: string,
    caller: { actor: string; role: ApiKeyRole | undefined },
  ): Promise<PayoutBatchQueueReport> {
    const wiring = this.payouts.require();
    const summary = await this.get(batchId);
    if ((summary.counts.draft ?? 0) === 0)
      throw new ApiError(409, 'conflict', `payout batch ${batchId} has nothing awaiting approval`);
    if (caller.role === undefined || !roleAllows(caller.role, summary.approvalRole)) {
      const totals = Object.entries(summary.totals)
        .map(([currency, total]) => `${total} ${currency}`)
        .join(', ');
      throw new ApiError(
        403,
        'forbidden',
        `approving batch ${summary.batch.reference} (${totals}) needs role ${summary.approvalRole}`,
        { totals: summary.totals },
      );
    }
    const report = await wiring.batches.queueBatch(batchId, caller.actor);
    await this.audit.append({
      actor: caller.actor,
      action: 'payouts.batch.approve',
      subjectType: 'payout_batch',
      subjectId: batchId,
      details: { ...report, totals: summary.totals, requiredRole: summary.approvalRole },
    });
    return report;
  }

  private async linesOf(source: BatchLinesSource, wiring: PayoutsWiring): Promise<PayoutLine[]> {
    if (source.items !== undefined) return source.items;
    if (source.csv !== undefined)
      return parsePayoutCsv(source.csv, source.fileName ?? 'upload.csv');
    // As createBatchFromPayables does: what is already in a batch is not offered again.
    const fresh: PayoutLine[] = [];
    for (const line of await wiring.payables.listPayables()) {
      if ((await wiring.repository.listAttempts(line.businessReference)).length === 0)
        fresh.push(line);
    }
    return fresh;
  }

  private async summary(wiring: PayoutsWiring, view: PayoutBatchView): Promise<PayoutBatchSummary> {
    const totals = await wiring.repository.totalsByCurrency(view.batch.id);
    const {
      draft = 0,
      queued = 0,
      submitted = 0,
      pending = 0,
      in_review: inReview = 0,
    } = view.counts;
    return {
      ...view,
      state:
        draft > 0
          ? 'awaiting_approval'
          : draft + queued + submitted + pending + inReview > 0
            ? 'open'
            : 'done',
      totals,
      approvalRole: approvalRole(totals, wiring.config.adminApprovalAbove),
    };
  }
}
