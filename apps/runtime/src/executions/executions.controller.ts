import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ExecutionRepository, type ExecutionRecord } from '@switchboard/persistence';
import { RequireRole } from '../access/require-role.decorator';
import { ApiError } from '../http/api-error';
import type { Page } from '../http/page-query.dto';
import { ExecutionQueryDto } from './execution-query.dto';

const EXECUTION_EXAMPLE = { id: '3f2a9c1e-8b7d-4e6f-a5c4-b3a2918f7e6d', flowId: 'clarity-order-created', flowVersion: 3, eventId: 'evt-SO-10042', key: 'SO-10042', status: 'succeeded', attempts: 1, startedAt: '2026-11-24T10:00:00.120Z', finishedAt: '2026-11-24T10:00:00.168Z', durationMs: 48, errorClass: null, errorMessage: null, trace: [{ step: 'transform', ms: 1.2, ok: true }, { step: 'deliver', ms: 40.5, ok: true }], correlationId: 'c0ffee00-1111-4222-8333-444455556666' };

@ApiTags('executions')
@RequireRole('viewer')
@Controller('api/executions')
export class ExecutionsController {
  constructor(private readonly executions: ExecutionRepository) {}

  @Get()
  @ApiOperation({ summary: 'List executions, newest first, filtered by flow, status, key and time' })
  @ApiOkResponse({ schema: { example: { items: [EXECUTION_EXAMPLE], total: 1, limit: 50, offset: 0 } } })
  async list(@Query() query: ExecutionQueryDto): Promise<Page<ExecutionRecord>> {
    const { limit, offset, ...filter } = query;
    const { items, total } = await this.executions.list(filter, { limit, offset });
    return { items, total, limit, offset };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One execution with its step trace' })
  @ApiOkResponse({ schema: { example: EXECUTION_EXAMPLE } })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ExecutionRecord> {
    const execution = await this.executions.get(id);
    if (execution === undefined) throw new ApiError(404, 'not_found', `no execution ${id}`);
    return execution;
  }
}
