import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { API_KEY_ROLES, type ApiKeyRole } from '@switchboard/persistence';
import { PageQueryDto } from '../http/page-query.dto';

export class CreateApiKeyDto {
  @ApiProperty({ description: 'who or what uses the key; shown in lists and the audit log', example: 'grafana-readonly' })
  @IsString() @MinLength(1) @MaxLength(100) @Matches(/^[\w .@-]+$/, { message: 'name may hold letters, digits, spaces and "_ . @ -"' })
  name!: string;

  @ApiProperty({ enum: API_KEY_ROLES, example: 'viewer' })
  @IsIn(API_KEY_ROLES)
  role!: ApiKeyRole;
}

export class ApiKeyQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: API_KEY_ROLES })
  @IsOptional() @IsIn(API_KEY_ROLES)
  role?: ApiKeyRole;

  @ApiPropertyOptional({ default: false, description: 'list revoked keys too' })
  @IsOptional() @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  includeRevoked?: boolean;
}

export class IssuedApiKeyDto {
  @ApiProperty({ example: '7d3c1a52-9f0e-4d7b-8a36-0a1f3b2c4d5e' }) id!: string;
  @ApiProperty({ example: 'grafana-readonly' }) name!: string;
  @ApiProperty({ enum: API_KEY_ROLES, example: 'viewer' }) role!: ApiKeyRole;
  @ApiProperty({ example: 'sb_Xq3v9LmA' }) prefix!: string;
  @ApiProperty({ description: 'the key itself: shown this once, store it now', example: 'sb_Xq3v9LmA2b...' }) key!: string;
  @ApiProperty({ example: '2026-11-24T19:30:00.000Z' }) createdAt!: Date;
}

export class ApiKeySummaryDto {
  @ApiProperty({ example: '7d3c1a52-9f0e-4d7b-8a36-0a1f3b2c4d5e' }) id!: string;
  @ApiProperty({ example: 'grafana-readonly' }) name!: string;
  @ApiProperty({ enum: API_KEY_ROLES, example: 'viewer' }) role!: ApiKeyRole;
  @ApiProperty({ example: 'sb_Xq3v9LmA' }) prefix!: string;
  @ApiProperty({ example: '2026-11-24T19:30:00.000Z' }) createdAt!: Date;
  @ApiProperty({ example: 'key:bootstrap-admin/sb_Ab12Cd34' }) createdBy!: string;
  @ApiProperty({ nullable: true, type: Date }) lastUsedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt!: Date | null;
}
