import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { EXECUTION_STATUSES, type ExecutionStatus } from '@switchboard/persistence';
import { PageQueryDto } from '../http/page-query.dto';

export class ExecutionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'clarity-order-created' })
  @IsOptional() @IsString() @MaxLength(200)
  flowId?: string;

  @ApiPropertyOptional({ enum: EXECUTION_STATUSES })
  @IsOptional() @IsIn(EXECUTION_STATUSES)
  status?: ExecutionStatus;

  @ApiPropertyOptional({ example: 'SO-10042' })
  @IsOptional() @IsString() @MaxLength(500)
  key?: string;

  @ApiPropertyOptional({ description: 'started at or after (ISO-8601)', example: '2026-11-24T00:00:00Z' })
  @IsOptional() @Type(() => Date) @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'started before (ISO-8601)' })
  @IsOptional() @Type(() => Date) @IsDate()
  to?: Date;
}
