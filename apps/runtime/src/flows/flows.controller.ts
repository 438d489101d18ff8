import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { CompiledFlow } from '@switchboard/flow-engine';
import { RequireRole } from '../access/require-role.decorator';
import { ApiError } from '../http/api-error';
import { PageQueryDto } from '../http/page-query.dto';
import { FlowRegistry, type FlowLoadProblem } from './flow-registry.service';

export class ValidateFlowDto {
  @ApiProperty({ description: 'the flow file, as YAML text', example: 'id: my-flow\nversion: 1\n...' })
  @IsString() @MinLength(1) @MaxLength(256 * 1024)
  yaml!: string;

  @ApiPropertyOptional({ description: 'file name to report errors against', example: 'my-flow.yaml' })
  @IsOptional() @Matches(/^[\w.-]+\.ya?ml$/)
  fileName?: string;
}

export class FlowQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['webhook', 'schedule', 'topic'], example: 'webhook' })
  @IsOptional() @IsIn(['webhook', 'schedule', 'topic'])
  trigger?: 'webhook' | 'schedule' | 'topic';

  @ApiPropertyOptional({ description: 'flows whose trigger or target uses this connector', example: 'clarity' })
  @IsOptional() @IsString() @MaxLength(100)
  connector?: string;
}

interface FlowSummary {
  id: string;
  version: number;
  description?: string;
  sourceFile: string;
  trigger: unknown;
  target: unknown;
  transform: unknown;
  dlqTopic: string;
}

@ApiTags('flows')
@RequireRole('viewer')
@Controller('api/flows')
export class FlowsController {
  constructor(private readonly flows: FlowRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Running flows, and the files that failed to load' })
  @ApiOkResponse({
    schema: {
      example: {
        items: [{ id: 'clarity-order-created', version: 3, sourceFile: 'config/flows/clarity-order-created.yaml', trigger: { webhook: { connector: 'clarity', event: 'order.created' } }, transform: { mapping: 'clarity-to-canonical/order.jsonata', output: 'canonical.order@1' }, target: { topic: 'canonical.order.v1' }, dlqTopic: 'sb.dlq.clarity-order-created' }],
        total: 1,
        limit: 50,
        offset: 0,
        loadErrors: [],
        lastReload: '2026-11-24T09:59:58.000Z',
      },
    },
  })
  list(@Query() query: FlowQueryDto): { items: FlowSummary[]; total: number; limit: number; offset: number; loadErrors: FlowLoadProblem[]; lastReload: string | null } {
    const matching = this.flows.list().filter((flow) => matchesQuery(flow, query)).map(summary);
    const items = matching.slice(query.offset, query.offset + query.limit);
    return { items, total: matching.length, limit: query.limit, offset: query.offset, loadErrors: this.flows.loadProblems(), lastReload: this.flows.lastReload()?.toISOString() ?? null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One running flow' })
  get(@Param('id') id: string): FlowSummary & { retry: unknown; key: string } {
    const flow = this.flows.get(id);
    if (flow === undefined) throw new ApiError(404, 'not_found', `no flow "${id}" is running`);
    return { ...summary(flow), retry: flow.retry, key: flow.definition.key };
  }

  @Post('validate')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Validate a flow file as the runtime would load it, without running it' })
  @ApiOkResponse({ schema: { example: { valid: false, errors: ['my-flow.yaml:4 trigger.webhook.event: unknown event "order.creatd" (did you mean "order.created"?)'] } } })
  async validate(@Body() body: ValidateFlowDto): Promise<{ valid: boolean; errors: string[] }> {
    const dir = await mkdtemp(join(tmpdir(), 'sb-validate-'));
    try {
      await writeFile(join(dir, body.fileName ?? 'flow.yaml'), body.yaml);
      const result = await this.flows.validate(dir);
      const errors = result.errors.map((error) => error.toString().replace(`${dir}/`, ''));
      return { valid: errors.length === 0, errors };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function matchesQuery(flow: CompiledFlow, query: FlowQueryDto): boolean {
  const { trigger, target } = flow.definition;
  if (query.trigger !== undefined && trigger[query.trigger] === undefined) return false;
  if (query.connector === undefined) return true;
  return trigger.webhook?.connector === query.connector || trigger.schedule?.action.startsWith(`${query.connector}.`) === true || target.action?.connector === query.connector;
}

function summary(flow: CompiledFlow): FlowSummary {
  const d = flow.definition;
  return {
    id: d.id,
    version: d.version,
    description: d.description,
    sourceFile: flow.sourceFile,
    trigger: d.trigger,
    transform: d.transform ?? null,
    target: d.target,
    dlqTopic: flow.dlqTopic,
  };
}
