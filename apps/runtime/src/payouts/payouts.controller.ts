import {
  Body,
  Controller,
  createParamDecorator,
  type ExecutionContext,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type PayoutItem, type PayoutQueuePause } from '@switchboard/persistence';
import {
  type PayoutBatchPreview,
  type PayoutBatchQueueReport,
  type PayoutItemHistory,
} from '@switchboard/payouts';
import type { ApiPrincipal } from '../access/api-principal';
import { CurrentActor, type AuthenticatedRequest } from '../access/current-actor.decorator';
import { RequireRole } from '../access/require-role.decorator';
import { ApiError } from '../http/api-error';
import type { Page } from '../http/page-query.dto';
import { PayoutAdminService, type PayoutBatchSummary } from './payout-admin.service';
import { payoutReportCsv } from './payout-report.csv';
import { PayoutsRuntime } from './payouts-runtime.service';
import {
  CancelUnsentDto,
  CreatePayoutBatchDto,
  PayoutBatchQueryDto,
  PayoutItemQueryDto,
  PayoutNoteDto,
  ReinitiateItemDto,
} from './payouts.dto';

const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): ApiPrincipal | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);

const BATCH_EXAMPLE = {
  batch: {
    id: '5c0f6a3e-2b1d-4c9e-8f7a-6b5c4d3e2f1a',
    reference: 'COMMISSIONS-2026-03',
    source: 'api',
    account: '100000001',
    description: null,
    createdBy: 'key:finance/sb_AbCd1234',
    createdAt: '2026-03-31T09:00:00.000Z',
  },
  counts: { queued: 480, in_review: 20 },
  total: 500,
  state: 'open',
  totals: { EUR: '12840.00', USD: '9120.50' },
  approvalRole: 'admin',
};

/** Mass payouts: build (or dry-run) batches, approve, pause/resume queues, review items, export. */
@ApiTags('payouts')
@RequireRole('viewer')
@Controller('api/payouts')
export class PayoutsController {
  constructor(
    private readonly payouts: PayoutsRuntime,
    private readonly admin: PayoutAdminService,
  ) {}

  @Post('batches')
  @RequireRole('operator')
  @ApiOperation({
    summary:
      'Build a batch from JSON items, a CSV text or Clarity payables; dryRun shows what would be paid and what fails validation',
  })
  @ApiOkResponse({ schema: { example: BATCH_EXAMPLE } })
  async create(
    @Body() body: CreatePayoutBatchDto,
    @CurrentActor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PayoutBatchSummary | ({ dryRun: true } & PayoutBatchPreview)> {
    const sources = [body.items !== undefined, body.csv !== undefined, body.fromClarity].filter(
      Boolean,
    ).length;
    if (sources !== 1)
      throw new ApiError(
        400,
        'bad_request',
        'give exactly one of items, csv or fromClarity: true',
        ['items', 'csv', 'fromClarity'],
      );
    const source = {
      items: body.items,
      csv: body.csv,
      fileName: body.fileName,
      fromClarity: body.fromClarity,
    };
    if (body.dryRun) {
      // Nothing was created: 200, not 201.
      void reply.status(200);
      return { dryRun: true, ...(await this.admin.dryRun(source)) };
    }
    return this.admin.create(source, {
      reference: body.reference,
      createdBy: actor,
      ...(body.description === undefined ? {} : { description: body.description }),
    });
  }

  @Get('batches')
  @ApiOperation({ summary: 'Batches, newest first (?source, ?limit, ?offset)' })
  @ApiOkResponse({
    schema: { example: { items: [BATCH_EXAMPLE], total: 1, limit: 50, offset: 0 } },
  })
  async list(@Query() query: PayoutBatchQueryDto): Promise<Page<PayoutBatchSummary>> {
    const wiring = this.payouts.require();
    const page = await wiring.repository.listBatches(
      { source: query.source, account: wiring.config.account },
      { limit: query.limit, offset: query.offset },
    );
    const items: PayoutBatchSummary[] = [];
    for (const batch of page.items) items.push(await this.admin.get(batch.id));
    return { items, total: page.total, limit: query.limit, offset: query.offset };
  }

  @Get('batches/:id')
  @ApiOperation({ summary: 'One batch with counts per status and totals per currency' })
  @ApiOkResponse({ schema: { example: BATCH_EXAMPLE } })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<PayoutBatchSummary> {
    return this.admin.get(id);
  }

  @Post('batches/:id/approve')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({
    summary:
      'Approve and start: validate the drafts (valid → queued, invalid → review). Above payouts.adminApprovalAbove an admin key is needed',
  })
  @ApiOkResponse({ schema: { example: { queued: 480, inReview: 20 } } })
  async approve(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentActor() actor: string,
    @CurrentPrincipal() principal: ApiPrincipal | undefined,
  ): Promise<PayoutBatchQueueReport> {
    return this.admin.approve(id, { actor, role: principal?.role });
  }

  @Post('batches/:id/cancel-unsent')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({
    summary:
      'Cancel every item of the batch not yet sent (draft or queued); sent items are untouched',
  })
  @ApiOkResponse({ schema: { example: { cancelled: 120 } } })
  async cancelUnsent(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CancelUnsentDto,
    @CurrentActor() actor: string,
  ): Promise<{ cancelled: number }> {
    return {
      cancelled: await this.payouts
        .require()
        .batches.cancelUnsent(id, { actor, reason: body.reason }),
    };
  }

  @Get('batches/:id/items')
  @ApiOperation({
    summary: 'Items of a batch in queue order (?status=a,b, ?currency, ?limit, ?offset)',
  })
  async items(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: PayoutItemQueryDto,
  ): Promise<Page<PayoutItem>> {
    const wiring = this.payouts.require();
    await wiring.batches.getBatch(id);
    const page = await wiring.repository.pageItems(
      id,
      { statuses: query.status, currency: query.currency },
      { limit: query.limit, offset: query.offset },
    );
    return { ...page, limit: query.limit, offset: query.offset };
  }

  @Get('batches/:id/report.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: 'The batch as CSV: every item (all attempts) with status, reason and Payoneer ids',
  })
  async report(@Param('id', new ParseUUIDPipe()) id: string): Promise<string> {
    return payoutReportCsv(await this.payouts.require().batches.listItems(id));
  }

  @Get('items/:id')
  @ApiOperation({
    summary: 'An item with its stored transitions and every attempt at its business reference',
  })
  async item(@Param('id', new ParseUUIDPipe()) id: string): Promise<PayoutItemHistory> {
    return this.payouts.require().batches.getItemHistory(id);
  }

  @Post('items/:id/reinitiate')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({
    summary:
      'Pay an item in review again as a new linked attempt (new client reference id); refused while Payoneer holds the old one live',
  })
  async reinitiate(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ReinitiateItemDto,
    @CurrentActor() actor: string,
  ): Promise<PayoutItem> {
    return this.payouts.require().batches.reinitiateItem(id, {
      actor,
      ...(body.payeeId === undefined ? {} : { payeeId: body.payeeId }),
      ...(body.note === undefined ? {} : { note: body.note }),
    });
  }

  @Get('queues')
  @ApiOperation({ summary: 'Paused account/currency queues (funds or an operator)' })
  async queues(): Promise<{ paused: PayoutQueuePause[] }> {
    return { paused: await this.payouts.require().submission.listPausedQueues() };
  }

  @Post('queues/:currency/pause')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Stop sending a currency queue; only POST …/resume starts it again' })
  async pause(
    @Param('currency') currency: string,
    @Body() body: PayoutNoteDto,
    @CurrentActor() actor: string,
  ): Promise<PayoutQueuePause> {
    return this.payouts.require().submission.pauseQueue(checkCurrency(currency), actor, body.note);
  }

  @Post('queues/:currency/resume')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Resume a paused currency queue; the next run continues where it stopped',
  })
  async resume(
    @Param('currency') currency: string,
    @CurrentActor() actor: string,
  ): Promise<PayoutQueuePause> {
    return this.payouts.require().submission.resumeQueue(checkCurrency(currency), actor);
  }
}

function checkCurrency(currency: string): string {
  if (!/^[A-Z]{3}$/.test(currency))
    throw new ApiError(
      400,
      'bad_request',
      `currency "${currency}" is not an ISO-4217 code such as EUR`,
      ['currency'],
    );
  return currency;
}
