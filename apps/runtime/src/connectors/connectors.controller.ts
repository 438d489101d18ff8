import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { RequireRole } from '../access/require-role.decorator';
import { PageQueryDto } from '../http/page-query.dto';
import { ConnectorRegistry } from './connector-registry.service';

export class ConnectorQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'connectors with an action or trigger of this name', example: 'createPayout' })
  @IsOptional() @IsString() @MaxLength(100)
  capability?: string;
}

/** `GET /api/connectors`: the loaded plugins, what they offer, and whether their systems answer. */
@ApiTags('connectors')
@RequireRole('viewer')
@Controller('api/connectors')
export class ConnectorsController {
  constructor(private readonly connectors: ConnectorRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Loaded connectors with their actions, triggers and health' })
  @ApiOkResponse({ schema: { example: { items: [{ id: 'payoneer', version: '1.0.0', title: 'Payoneer', origin: 'connectors/payoneer', auth: 'oauth2', actions: [{ name: 'createPayout', title: 'Create a payout' }], triggers: [{ name: 'payoutStatus', kind: 'webhook', events: ['payout.status_updated'] }], health: { healthy: true, latencyMs: 42 } }], total: 1, limit: 50, offset: 0 } } })
  async list(@Query() query: ConnectorQueryDto): Promise<{ items: unknown[]; total: number; limit: number; offset: number }> {
    const matching = this.connectors
      .list()
      .filter(({ definition }) => query.capability === undefined || [...definition.actions, ...definition.triggers].some((part) => part.name === query.capability));
    const page = matching.slice(query.offset, query.offset + query.limit);
    // Health probes call the remote systems: only for the connectors on this page.
    const health = await this.connectors.health(page.map(({ definition }) => definition.id));
    const items = page.map(({ definition, origin }) => ({
      id: definition.id,
      version: definition.version,
      title: definition.title,
      origin,
      auth: definition.auth.kind,
      actions: definition.actions.map((action) => ({ name: action.name, title: action.title, description: action.description, input: action.input, output: action.output })),
      triggers: definition.triggers.map((trigger) => ({ name: trigger.name, kind: trigger.kind, events: trigger.events })),
      health: health[definition.id],
    }));
    return { items, total: matching.length, limit: query.limit, offset: query.offset };
  }
}
