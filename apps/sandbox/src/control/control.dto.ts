import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
} from 'class-validator';

const AMOUNT = /^\d+(\.\d{1,2})?$/;
const CURRENCY = /^[A-Z]{3}$/;

/** POST /_sandbox/scenarios/merchant */
export class SeedMerchantDto {
  @ApiPropertyOptional({ default: 10 }) @IsOptional() @IsInt() @Min(1) @Max(500) customers: number =
    10;
  @ApiPropertyOptional({ default: 3 }) @IsOptional() @IsInt() @Min(0) @Max(100) vendors: number = 3;
  @ApiPropertyOptional({ default: 3 }) @IsOptional() @IsInt() @Min(0) @Max(100) affiliates: number =
    3;
  @ApiPropertyOptional({ default: 8 }) @IsOptional() @IsInt() @Min(1) @Max(200) products: number =
    8;
  @ApiPropertyOptional({ default: 20 }) @IsOptional() @IsInt() @Min(0) @Max(5_000) orders: number =
    20;
  @ApiPropertyOptional({ type: [String], default: ['USD', 'EUR', 'GBP'] })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(10)
  @Matches(CURRENCY, { each: true })
  currencies: string[] = ['USD', 'EUR', 'GBP'];
  @ApiPropertyOptional({ default: 0.5 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  paidRatio: number = 0.5;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) inactivePayees: number = 0;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) pendingPayees: number = 0;
  @ApiPropertyOptional({ default: true, description: 'reset all state first' })
  @IsOptional()
  @IsBoolean()
  reset: boolean = true;
}

/** POST /_sandbox/traffic */
export class StartTrafficDto {
  @ApiProperty({ minimum: 0.1, maximum: 50 })
  @IsNumber()
  @Min(0.1)
  @Max(50)
  ordersPerSecond!: number;
  @ApiPropertyOptional({ maximum: 3600 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_600)
  durationSeconds?: number;
  @ApiPropertyOptional({ maximum: 100000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxOrders?: number;
  @ApiPropertyOptional({ default: 0.7 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  paidRatio: number = 0.7;
}

/** POST /_sandbox/reset */
export class ResetDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(2 ** 32 - 1) seed?: number;
}

/** POST /_sandbox/clock/advance */
export class AdvanceClockDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) ms?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(0) seconds?: number;
}

/** POST /_sandbox/auth/expire */
export class ExpireAuthDto {
  @ApiProperty({ enum: ['clarity', 'payoneer'] }) @IsIn(['clarity', 'payoneer']) system!:
    'clarity' | 'payoneer';
}

/** POST /_sandbox/payoneer/fund */
export class FundDto {
  @ApiProperty({ example: 'USD' }) @Matches(CURRENCY) currency!: string;
  @ApiProperty({ example: '1000.00' })
  @Matches(AMOUNT, { message: 'amount must be a decimal string like "1000.00"' })
  amount!: string;
}

/** POST /_sandbox/payoneer/drain */
export class DrainDto {
  @ApiProperty({ example: 'USD' }) @Matches(CURRENCY) currency!: string;
  @ApiPropertyOptional({ description: 'default: the whole balance' })
  @IsOptional()
  @Matches(AMOUNT, { message: 'amount must be a decimal string like "1000.00"' })
  amount?: string;
}

/** POST /_sandbox/payoneer/payees */
export class RegisterPayeeDto {
  @ApiProperty() @IsString() @Matches(/^\S+$/) payeeId!: string;
  @ApiPropertyOptional({ enum: ['ACTIVE', 'INACTIVE', 'PENDING'] })
  @IsOptional()
  @IsIn(['ACTIVE', 'INACTIVE', 'PENDING'])
  status?: 'ACTIVE' | 'INACTIVE' | 'PENDING';
  @ApiPropertyOptional() @IsOptional() @Matches(CURRENCY) payoutCurrency?: string;
  @ApiPropertyOptional({ enum: ['BANK', 'PAYONEER_ACCOUNT'] })
  @IsOptional()
  @IsIn(['BANK', 'PAYONEER_ACCOUNT'])
  payoutMethod?: 'BANK' | 'PAYONEER_ACCOUNT';
}

/** POST /_sandbox/payoneer/payees/:payeeId/status */
export class PayeeStatusDto {
  @ApiProperty({ enum: ['ACTIVE', 'INACTIVE', 'PENDING'] })
  @IsIn(['ACTIVE', 'INACTIVE', 'PENDING'])
  status!: 'ACTIVE' | 'INACTIVE' | 'PENDING';
}

/** POST /_sandbox/payoneer/received-payments */
export class ReceivedPaymentDto {
  @ApiProperty({ example: '120.00' })
  @Matches(AMOUNT, { message: 'amount must be a decimal string like "120.00"' })
  amount!: string;
  @ApiProperty({ example: 'EUR' }) @Matches(CURRENCY) currency!: string;
  @ApiProperty() @IsString() paymentReference!: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CURRENCY) creditCurrency?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() description?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() note?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() payerName?: string;
}

/** PUT /_sandbox/fx-rates */
export class FxRatesDto {
  @ApiProperty({ example: { EUR: '1.10' }, description: 'USD value of one unit of each currency' })
  @IsObject()
  @Type(() => Object)
  rates!: Record<string, string>;
}
