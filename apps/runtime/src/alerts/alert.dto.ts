import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ALERT_SEVERITIES, type AlertSeverity } from '@switchboard/persistence';
import { PageQueryDto } from '../http/page-query.dto';
import { ALERT_RULES } from './alert-rule';

export class AlertQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ALERT_RULES, example: 'dlq_growth' })
  @IsOptional() @IsString() @MaxLength(100)
  rule?: string;

  @ApiPropertyOptional({ enum: ALERT_SEVERITIES })
  @IsOptional() @IsIn(ALERT_SEVERITIES)
  severity?: AlertSeverity;

  @ApiPropertyOptional({ description: 'flow, connector or payee the alert is about', example: 'clarity-order-created' })
  @IsOptional() @IsString() @MaxLength(500)
  subject?: string;

  @ApiPropertyOptional({ description: 'true: only acknowledged; false: only open' })
  @IsOptional() @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  acknowledged?: boolean;

  @ApiPropertyOptional({ description: 'last raised at or after (ISO-8601)', example: '2026-11-24T00:00:00Z' })
  @IsOptional() @Type(() => Date) @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'last raised before (ISO-8601)' })
  @IsOptional() @Type(() => Date) @IsDate()
  to?: Date;
}

export class AlertDto {
  @ApiProperty({ example: '0b7e9a1c-5d2f-4c3e-9a8b-7f6e5d4c3b2a' }) id!: string;
  @ApiProperty({ enum: ALERT_RULES, example: 'dlq_growth' }) rule!: string;
  @ApiProperty({ enum: ALERT_SEVERITIES, example: 'critical' }) severity!: AlertSeverity;
  @ApiProperty({ example: 'clarity-order-created' }) subject!: string;
  @ApiProperty({ example: 'event evt-1001 of flow clarity-order-created was dead-lettered (transient): ERP answered 503' }) message!: string;
  @ApiProperty({ example: { flowId: 'clarity-order-created', eventId: 'evt-1001', failureType: 'transient' } }) details!: Record<string, unknown>;
  @ApiProperty({ description: 'times raised within the dedupe window', example: 3 }) count!: number;
  @ApiProperty({ example: '2026-11-24T19:30:00.000Z' }) firstRaisedAt!: Date;
  @ApiProperty({ example: '2026-11-24T19:34:10.000Z' }) lastRaisedAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) acknowledgedAt!: Date | null;
  @ApiProperty({ nullable: true, example: 'key:ops-oncall/sb_Xq3v9LmA' }) acknowledgedBy!: string | null;
  @ApiProperty({ nullable: true, type: Date, description: 'when the webhook took it' }) deliveredAt!: Date | null;
  @ApiProperty({ nullable: true, example: null, description: 'why the last delivery failed' }) deliveryError!: string | null;
}
