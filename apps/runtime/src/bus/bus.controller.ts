import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../access/require-role.decorator';
import { BusAdminService, type BusOverview, type OffsetResetResult } from './bus-admin.service';
import { OffsetResetDto, timestampOf } from './offset-reset.dto';

@ApiTags('bus')
@Controller('api/bus')
export class BusController {
  constructor(private readonly busAdmin: BusAdminService) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Transport, topics with partitions, and consumer-group lag per flow' })
  overview(): Promise<BusOverview> {
    return this.busAdmin.overview();
  }

  @Post('flows/:id/offsets/reset')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiOperation({ summary: "Reset a flow's consumer-group offsets (earliest, latest or a timestamp); Kafka only, 409 on the memory bus" })
  resetOffsets(@Param('id') flowId: string, @Body() body: OffsetResetDto): Promise<OffsetResetResult> {
    const to = typeof body.to === 'string' ? body.to : { timestamp: timestampOf(body.to)! };
    return this.busAdmin.resetOffsets(flowId, to);
  }
}
