import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AlertRecord } from '@switchboard/persistence';
import { CurrentActor } from '../access/current-actor.decorator';
import { RequireRole } from '../access/require-role.decorator';
import { ApiError } from '../http/api-error';
import type { Page } from '../http/page-query.dto';
import { AlertDto, AlertQueryDto } from './alert.dto';
import { AlertService } from './alert.service';

/** Alerts: what needs attention, deduplicated, and who acknowledged it. */
@ApiTags('alerts')
@RequireRole('viewer')
@Controller('api/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertService) {}

  @Get()
  @ApiOperation({ summary: 'List alerts, most recently raised first, filtered by rule, severity, subject, state and time' })
  @ApiOkResponse({ type: AlertDto, isArray: true, description: 'in `items` of a page `{items, total, limit, offset}`' })
  async list(@Query() query: AlertQueryDto): Promise<Page<AlertRecord>> {
    const { limit, offset, ...filter } = query;
    const { items, total } = await this.alerts.list(filter, { limit, offset });
    return { items, total, limit, offset };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alert' })
  @ApiOkResponse({ type: AlertDto })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<AlertRecord> {
    return this.find(id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Acknowledge an alert; a later repeat opens a new one' })
  @ApiOkResponse({ type: AlertDto })
  async acknowledge(@Param('id', new ParseUUIDPipe()) id: string, @CurrentActor() actor: string): Promise<AlertRecord> {
    const alert = await this.find(id);
    if (!(await this.alerts.acknowledge(id, actor))) {
      throw new ApiError(409, 'conflict', `alert ${id} was already acknowledged by ${alert.acknowledgedBy ?? 'someone'}`);
    }
    return this.find(id);
  }

  private async find(id: string): Promise<AlertRecord> {
    const alert = await this.alerts.get(id);
    if (alert === undefined) throw new ApiError(404, 'not_found', `no alert ${id}`);
    return alert;
  }
}
