import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { DEAD_LETTER_STATUSES, type DeadLetterStatus } from '@switchboard/persistence';
import { PageQueryDto } from '../http/page-query.dto';

export class DeadLetterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'clarity-order-created' })
  @IsOptional() @IsString() @MaxLength(200)
  flowId?: string;

  @ApiPropertyOptional({ enum: DEAD_LETTER_STATUSES })
  @IsOptional() @IsIn(DEAD_LETTER_STATUSES)
  status?: DeadLetterStatus;

  @ApiPropertyOptional({ description: 'dead-lettered at or after (ISO-8601)' })
  @IsOptional() @Type(() => Date) @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'dead-lettered before (ISO-8601)' })
  @IsOptional() @Type(() => Date) @IsDate()
  to?: Date;
}

export class ReplayDto {
  @ApiPropertyOptional({ type: String, enum: ['original', 'current'], default: 'current', description: 'flow version to run the event on' })
  @IsOptional() @IsIn(['original', 'current'])
  version: 'original' | 'current' = 'current';

  @ApiPropertyOptional({ default: false, description: 'show what would be replayed without doing it' })
  @IsOptional() @IsBoolean()
  dryRun: boolean = false;
}

export class BulkReplayDto extends ReplayDto {
  @ApiPropertyOptional({ example: 'clarity-order-created' })
  @IsOptional() @IsString() @MaxLength(200)
  flowId?: string;

  @ApiPropertyOptional({ description: 'dead-lettered at or after (ISO-8601)' })
  @IsOptional() @Type(() => Date) @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'dead-lettered before (ISO-8601)' })
  @IsOptional() @Type(() => Date) @IsDate()
  to?: Date;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional() @IsInt() @Min(1) @Max(1000)
  limit: number = 100;
}

export class DiscardDto {
  @ApiProperty({ example: 'duplicate order, already fixed by hand in Clarity' })
  @IsString() @MinLength(3) @MaxLength(1000)
  reason!: string;
}
