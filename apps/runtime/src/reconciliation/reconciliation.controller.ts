import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type JournalEntryPlan,
  ReconciliationInputError,
  ReconciliationNotFoundError,
  type ReconciliationReportRow,
  type ReconciliationReviewItemRecord,
  ReconciliationService,
  ReviewConflictError,
} from '@switchboard/reconciliation';
import { CurrentActor } from '../access/current-actor.decorator';
import { RequireRole } from '../access/require-role.decorator';
import { RuntimeConfig } from '../config/runtime-config';
import { ApiError } from '../http/api-error';
import { type Page } from '../http/page-query.dto';
import {
  ApproveDto,
  CorrectionDto,
  DismissDto,
  ReportQueryDto,
  ReviewItemQueryDto,
} from './reconciliation.dto';
import { ReconciliationPosting } from './reconciliation-posting.service';
import { type PostingOutcome, ReconciliationReview } from './reconciliation-review.service';
import { ReconciliationSweep, type SweepResult } from './reconciliation-sweep.service';

const REVIEW_ITEM_EXAMPLE = {
  id: '5f0c2d8e-3b1a-4c7e-9d2f-6a8b4e1c0d3f',
  reason: 'mismatch',
  status: 'open',
  subjectType: 'payment',
  subjectKey: 'payoneer:TX-88213',
  currency: 'USD',
  amount: '120.00',
  day: '2026-11-20',
  candidates: [{ orderKeys: ['clarity:1042'], score: 0.62, amountFit: 'none', rules: [] }],
  evidence: { rules: [{ rule: 'reference.exact' }] },
  resolution: null,
  resolvedBy: null,
  createdAt: '2026-11-20T10:00:00.000Z',
  resolvedAt: null,
};

/** The outcome of a review action that leads to a journal entry. */
@ApiTags('reconciliation')
@RequireRole('viewer')
@Controller('api/reconciliation')
export class ReconciliationController {
  constructor(
    private readonly config: RuntimeConfig,
    private readonly service: ReconciliationService,
    private readonly posting: ReconciliationPosting,
    private readonly review: ReconciliationReview,
    private readonly sweeper: ReconciliationSweep,
  ) {}

  @Get('review-items')
  @ApiOperation({
    summary: 'List review items, newest first, filtered by status, reason, currency or subject',
  })
  @ApiOkResponse({
    schema: { example: { items: [REVIEW_ITEM_EXAMPLE], total: 1, limit: 50, offset: 0 } },
  })
  async list(@Query() query: ReviewItemQueryDto): Promise<Page<ReconciliationReviewItemRecord>> {
    this.requireEnabled();
    const { limit, offset, ...filter } = query;
    const page = await this.run(() => this.service.listReviewItems(filter, { limit, offset }));
    return { items: page.items, total: page.total, limit, offset };
  }

  @Get('review-items/:id')
  @ApiOperation({
    summary: 'One review item with the candidates the matcher weighed and their evidence',
  })
  @ApiOkResponse({ schema: { example: REVIEW_ITEM_EXAMPLE } })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ReconciliationReviewItemRecord> {
    this.requireEnabled();
    return this.run(() => this.service.getReviewItem(id));
  }

  @Post('review-items/:id/approve')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({
    summary:
      'Approve the top candidate, or re-match to chosen orders / payments; posts the entry and marks the orders',
  })
  @ApiOkResponse({
    schema: { example: { matchId: '8d1e…', reference: 'revenue:clarity:1042', posted: true } },
  })
  async approve(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ApproveDto,
    @CurrentActor() actor: string,
  ): Promise<PostingOutcome> {
    this.requireEnabled();
    if (body.orderKeys !== undefined && body.paymentKeys !== undefined) {
      throw new ApiError(
        400,
        'bad_request',
        'give orderKeys (payment items) or paymentKeys (order items), not both',
        ['orderKeys and paymentKeys must not both be set'],
      );
    }
    return this.run(() => this.review.approve(id, actor, body));
  }

  @Post('review-items/:id/corrections')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({
    summary:
      'Record and post an adjustment (write-off) or partial-refund entry; the item stays open',
  })
  @ApiOkResponse({
    schema: { example: { matchId: '8d1e…', reference: 'refund:review:5f0c…:1', posted: true } },
  })
  async correct(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CorrectionDto,
    @CurrentActor() actor: string,
  ): Promise<PostingOutcome & { plan: JournalEntryPlan }> {
    this.requireEnabled();
    const item = await this.run(() => this.service.getReviewItem(id));
    const { matchId, plan } = await this.run(() => this.service.recordCorrection(id, actor, body));
    const orderKeys = item.subjectType === 'order' ? [item.subjectKey] : [];
    const posted = await this.posting.post({ matchId, kind: body.kind, orderKeys, plan }, actor);
    return { matchId, reference: plan.reference, posted, plan };
  }

  @Post('review-items/:id/dismiss')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Close a review item without a match; the reason is audited' })
  @ApiOkResponse({ schema: { example: { ...REVIEW_ITEM_EXAMPLE, status: 'dismissed' } } })
  async dismiss(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: DismissDto,
    @CurrentActor() actor: string,
  ): Promise<ReconciliationReviewItemRecord> {
    this.requireEnabled();
    await this.run(() => this.service.dismiss(id, actor, body.reason));
    return this.run(() => this.service.getReviewItem(id));
  }

  @Get('report')
  @ApiOperation({
    summary:
      'Status per day and currency: matched, posted, pending and in review, with amounts and fees',
  })
  @ApiOkResponse({
    schema: {
      example: [
        {
          day: '2026-11-20',
          currency: 'USD',
          matchedCount: 12,
          matchedAmount: '1530.00',
          fees: '38.25',
          postedCount: 12,
          pendingCount: 1,
          pendingAmount: '80.00',
          inReviewCount: 1,
          inReviewAmount: '120.00',
        },
      ],
    },
  })
  async report(@Query() query: ReportQueryDto): Promise<ReconciliationReportRow[]> {
    this.requireEnabled();
    if (query.from > query.to) {
      throw new ApiError(400, 'bad_request', `from (${query.from}) is after to (${query.to})`, [
        'from must not be after to',
      ]);
    }
    return this.run(() => this.service.report(query.from, query.to));
  }

  @Post('sweep')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({
    summary:
      'Run the scheduled sweep now: stale unmatched items to review, failed postings retried',
  })
  @ApiOkResponse({ schema: { example: { sweptIntoReview: 2, retriedPostings: 0, posted: 0 } } })
  async sweep(): Promise<SweepResult> {
    this.requireEnabled();
    return this.sweeper.sweep({ retryRecent: true });
  }

  private requireEnabled(): void {
    if (!this.config.reconciliation.enabled) {
      throw new ApiError(
        404,
        'not_found',
        'reconciliation is not enabled (reconciliation.enabled in config/runtime.yaml)',
      );
    }
  }

  /** Maps the engine's errors to answers: bad input 400, unknown 404, no longer applicable 409. */
  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ReconciliationNotFoundError)
        throw new ApiError(404, 'not_found', error.message);
      if (error instanceof ReviewConflictError) throw new ApiError(409, 'conflict', error.message);
      if (error instanceof ReconciliationInputError)
        throw new ApiError(400, 'bad_request', error.message, [error.message]);
      throw error;
    }
  }
}
