import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  PAYOUT_BATCH_SOURCES,
  PAYOUT_ITEM_STATUSES,
  type PayoutBatchSource,
  type PayoutItemStatus,
} from '@switchboard/persistence';
import { PageQueryDto } from '../http/page-query.dto';

/** One line of a batch sent as JSON. */
export class PayoutLineDto {
  @ApiProperty({
    example: 'COMM-2026-03-AFF-0001',
    description: 'what is paid, unique for all time',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  businessReference!: string;

  @ApiProperty({
    example: 'AFF-0001',
    description: 'who is owed (Clarity account key); resolved through the payoneer-payee id map',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  partyReference!: string;

  @ApiProperty({ example: '120.50', description: 'decimal string, at most two places' })
  @IsString()
  @Matches(/^-?\d{1,15}(\.\d{1,2})?$/, {
    message: 'amount must be a decimal string with at most two places, e.g. "120.50"',
  })
  amount!: string;

  @ApiProperty({ example: 'EUR' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency!: string;

  @ApiProperty({ example: 'Affiliate commission March 2026' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  description!: string;
}

/** POST /api/payouts/batches: lines as JSON, a CSV text, or `fromClarity` to pull what Clarity says is owed. */
export class CreatePayoutBatchDto {
  @ApiProperty({
    example: 'COMMISSIONS-2026-03',
    description: 'business reference of the batch; building it twice is refused (409)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  reference!: string;

  @ApiPropertyOptional({ example: 'March affiliate commissions' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ type: [PayoutLineDto] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => PayoutLineDto)
  items?: PayoutLineDto[];

  @ApiPropertyOptional({
    description:
      'CSV upload: header row with business_reference, party_reference, amount, currency, description',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5_000_000)
  csv?: string;

  @ApiPropertyOptional({ example: 'commissions-2026-03.csv' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  fileName?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'build the batch from unpaid Clarity commissions and vendor balances',
  })
  @IsOptional()
  @IsBoolean()
  fromClarity: boolean = false;

  @ApiPropertyOptional({
    default: false,
    description: 'show what would be paid and what fails validation; store nothing',
  })
  @IsOptional()
  @IsBoolean()
  dryRun: boolean = false;
}

export class PayoutBatchQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PAYOUT_BATCH_SOURCES })
  @IsOptional()
  @IsIn(PAYOUT_BATCH_SOURCES)
  source?: PayoutBatchSource;
}

export class PayoutItemQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'comma-separated statuses', example: 'in_review,failed' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '')
      : value,
  )
  @IsArray()
  @IsIn(PAYOUT_ITEM_STATUSES, {
    each: true,
    message: `status must be one of ${PAYOUT_ITEM_STATUSES.join(', ')}`,
  })
  status?: PayoutItemStatus[];

  @ApiPropertyOptional({ example: 'EUR' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO-4217 code such as EUR' })
  currency?: string;
}

export class PayoutNoteDto {
  @ApiPropertyOptional({ example: 'treasury asked to hold EUR payouts until Monday' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  note?: string;
}

export class CancelUnsentDto {
  @ApiProperty({ example: 'wrong commission period' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class ReinitiateItemDto extends PayoutNoteDto {
  @ApiPropertyOptional({
    example: 'AFF-0007-NEW',
    description:
      'the corrected Payoneer payee id; default: resolve the party again through the id map',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  payeeId?: string;
}
