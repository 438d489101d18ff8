import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../http/page-query.dto';

const REVIEW_STATUSES = ['open', 'resolved', 'dismissed'] as const;
const REVIEW_REASONS = [
  'mismatch',
  'low_confidence',
  'ambiguous',
  'duplicate',
  'unmatched',
  'partial',
] as const;
const RECORD_KEY = /^(clarity|payoneer|erp):.+$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class ReviewItemQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REVIEW_STATUSES, example: 'open' })
  @IsOptional()
  @IsIn(REVIEW_STATUSES)
  status?: (typeof REVIEW_STATUSES)[number];

  @ApiPropertyOptional({ enum: REVIEW_REASONS, example: 'mismatch' })
  @IsOptional()
  @IsIn(REVIEW_REASONS)
  reason?: (typeof REVIEW_REASONS)[number];

  @ApiPropertyOptional({ example: 'USD' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO code such as USD' })
  currency?: string;

  @ApiPropertyOptional({
    example: 'payoneer:TX-88213',
    description: 'the payment or order under review',
  })
  @IsOptional()
  @Matches(RECORD_KEY, { message: 'subjectKey must be <source>:<sourceId>' })
  subjectKey?: string;
}

export class ApproveDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['clarity:1042'],
    description: 'payment items: re-match to these orders instead of the top candidate',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(RECORD_KEY, { each: true, message: 'orderKeys must be <source>:<sourceId> keys' })
  orderKeys?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['payoneer:TX-88213'],
    description: 'order items: the payments that pay the order',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(RECORD_KEY, { each: true, message: 'paymentKeys must be <source>:<sourceId> keys' })
  paymentKeys?: string[];
}

export class CorrectionDto {
  @ApiProperty({ enum: ['adjustment', 'refund'], example: 'refund' })
  @IsIn(['adjustment', 'refund'])
  kind!: 'adjustment' | 'refund';

  @ApiProperty({ example: '12.50', description: 'positive decimal string in the item currency' })
  @IsString()
  @Matches(/^(0|[1-9]\d{0,14})(\.\d{1,4})?$/, {
    message: 'amount must be a positive decimal string such as "12.50"',
  })
  amount!: string;

  @ApiProperty({ example: 'customer refunded for a missing item' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  remark!: string;
}

export class DismissDto {
  @ApiProperty({ example: 'test order, paid outside Payoneer' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason!: string;
}

export class ReportQueryDto {
  @ApiProperty({ example: '2026-11-01', description: 'first day (YYYY-MM-DD, UTC)' })
  @Matches(DAY, { message: 'from must be a day as YYYY-MM-DD' })
  from!: string;

  @ApiProperty({ example: '2026-11-30', description: 'last day, inclusive' })
  @Matches(DAY, { message: 'to must be a day as YYYY-MM-DD' })
  to!: string;
}
