import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeadLetterRepository, type DeadLetterRecord } from '@switchboard/persistence';
import { CurrentActor } from '../access/current-actor.decorator';
import { RequireRole } from '../access/require-role.decorator';
import { ApiError } from '../http/api-error';
import type { Page } from '../http/page-query.dto';
import { BulkReplayDto, DeadLetterQueryDto, DiscardDto, ReplayDto } from './dead-letter.dto';
import { DeadLetterService } from './dead-letter.service';

const DEAD_LETTER_EXAMPLE = { id: '0b7e9a1c-5d2f-4c3e-9a8b-7f6e5d4c3b2a', flowId: 'erp-journal-entry', flowVersion: 2, eventId: 'evt-PAY-778', key: 'PAY-778', errorClass: 'HTTP_503', errorMessage: 'POST /api/resource/Journal Entry answered 503', failureType: 'transient', attempts: 8, originalTopic: 'sb.in.erp-journal-entry', originalPartition: 2, originalOffset: '1187', status: 'pending', createdAt: '2026-11-24T10:05:00.000Z' };

@ApiTags('dlq')
@RequireRole('viewer')
@Controller('api/dlq')
export class DlqController {
  constructor(
    private readonly repository: DeadLetterRepository,
    private readonly deadLetters: DeadLetterService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List dead letters, newest first' })
  @ApiOkResponse({ schema: { example: { items: [DEAD_LETTER_EXAMPLE], total: 1, limit: 50, offset: 0 } } })
  async list(@Query() query: DeadLetterQueryDto): Promise<Page<DeadLetterRecord>> {
    const { limit, offset, ...filter } = query;
    const { items, total } = await this.repository.list(filter, { limit, offset });
    return { items, total, limit, offset };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One dead letter with its envelope and error context' })
  @ApiOkResponse({ schema: { example: DEAD_LETTER_EXAMPLE } })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<DeadLetterRecord> {
    return this.find(id);
  }

  @Post('replay')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Replay every pending dead letter matching a filter (dryRun lists them)' })
  @ApiOkResponse({ schema: { example: { dryRun: false, replayed: ['0b7e9a1c-5d2f-4c3e-9a8b-7f6e5d4c3b2a'], failed: [] } } })
  async replayMany(@Body() body: BulkReplayDto, @CurrentActor() actor: string): Promise<{ dryRun: boolean; replayed: string[]; failed: Array<{ id: string; error: string }> }> {
    const { items } = await this.repository.list(
      { flowId: body.flowId, status: 'pending', from: body.from, to: body.to },
      { limit: body.limit, offset: 0 },
    );
    if (body.dryRun) return { dryRun: true, replayed: items.map((item) => item.id), failed: [] };
    const replayed: string[] = [];
    const failed: Array<{ id: string; error: string }> = [];
    for (const item of items) {
      try {
        await this.deadLetters.replay(item, { version: body.version, actor });
        replayed.push(item.id);
      } catch (error) {
        failed.push({ id: item.id, error: (error as Error).message });
      }
    }
    return { dryRun: false, replayed, failed };
  }

  @Post(':id/replay')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Replay one dead letter through its flow (original or current version)' })
  @ApiOkResponse({ schema: { example: { dryRun: false, replayed: ['0b7e9a1c-5d2f-4c3e-9a8b-7f6e5d4c3b2a'] } } })
  async replay(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: ReplayDto, @CurrentActor() actor: string): Promise<{ dryRun: boolean; replayed: string[] }> {
    const record = await this.find(id);
    if (!body.dryRun) await this.deadLetters.replay(record, { version: body.version, actor });
    return { dryRun: body.dryRun, replayed: [record.id] };
  }

  @Post(':id/discard')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Discard a dead letter, with a reason kept in the audit log' })
  async discard(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: DiscardDto, @CurrentActor() actor: string): Promise<DeadLetterRecord> {
    const record = await this.find(id);
    await this.deadLetters.discard(record, body.reason, actor);
    return this.find(id);
  }

  private async find(id: string): Promise<DeadLetterRecord> {
    const record = await this.repository.get(id);
    if (record === undefined) throw new ApiError(404, 'not_found', `no dead letter ${id}`);
    return record;
  }
}
