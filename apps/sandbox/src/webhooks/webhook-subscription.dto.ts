import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsOptional, IsString } from 'class-validator';
import { PUBLISHING_SYSTEMS, type PublishingSystem } from './webhook-subscription';

/** POST /_sandbox/webhooks */
export class WebhookSubscriptionDto {
  @ApiProperty({ enum: PUBLISHING_SYSTEMS }) @IsIn(PUBLISHING_SYSTEMS) system!: PublishingSystem;
  @ApiProperty() @IsString() url!: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @IsString({ each: true })
  events?: string[];
  @ApiPropertyOptional({ enum: ['json', 'query'] }) @IsOptional() @IsIn(['json', 'query']) format?:
    'json' | 'query';
  @ApiPropertyOptional() @IsOptional() @IsBoolean() urlEncodeValues?: boolean;
}
