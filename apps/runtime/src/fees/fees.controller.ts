import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { type FeeDayTotal, type FeeRecord, FeeRepository } from '@switchboard/persistence';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { RequireRole } from '../access/require-role.decorator';
import { type Page, PageQueryDto } from '../http/page-query.dto';
import { FeeLedgerService } from './fee-ledger.service';

/** Which fees: a time range [from, to) and a currency, each optional. */
export class FeeFilterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Fees charged at or after this time (ISO 8601)',
    example: '2026-06-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    description: 'Fees charged before this time (ISO 8601)',
    example: '2026-07-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'ISO 4217 currency the fee was charged in', example: 'USD' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code like USD' })
  currency?: string;
}

/** Fee tracking: the processor fees seen on canonical.fee.v1, listed and summed per day and currency. */
@ApiTags('fees')
@RequireRole('viewer')
@Controller('api/fees')
export class FeesController {
  constructor(
    private readonly fees: FeeRepository,
    private readonly ledger: FeeLedgerService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Fees newest first (?from, ?to, ?currency, ?limit, ?offset)' })
  async list(@Query() query: FeeFilterQueryDto): Promise<Page<FeeRecord>> {
    const page = await this.fees.list(toFilter(query), {
      limit: query.limit,
      offset: query.offset,
    });
    return { ...page, limit: query.limit, offset: query.offset };
  }

  @Get('totals')
  @ApiOperation({
    summary:
      'Fees summed per UTC day and currency (?from, ?to, ?currency); amounts are decimal strings',
  })
  async totals(@Query() query: FeeFilterQueryDto): Promise<{ items: FeeDayTotal[] }> {
    return { items: await this.ledger.totals(toFilter(query)) };
  }
}

function toFilter(query: FeeFilterQueryDto): { from?: Date; to?: Date; currency?: string } {
  return {
    from: query.from === undefined ? undefined : new Date(query.from),
    to: query.to === undefined ? undefined : new Date(query.to),
    currency: query.currency,
  };
}
