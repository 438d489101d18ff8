import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { AuditLogRepository, SecretStore } from '@switchboard/persistence';
import { CurrentActor } from '../access/current-actor.decorator';
import { RequireRole } from '../access/require-role.decorator';
import { ApiError } from '../http/api-error';
import { PageQueryDto } from '../http/page-query.dto';

const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export class PutSecretDto {
  @ApiProperty({ description: 'the secret value; stored encrypted and never returned', example: 's3cr3t' })
  @IsString() @MinLength(1) @MaxLength(16 * 1024)
  value!: string;

  @ApiPropertyOptional({ example: 'Payoneer OAuth2 client secret (sandbox program)' })
  @IsOptional() @IsString() @MaxLength(500)
  description?: string;
}

export class SecretQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'names starting with this, e.g. a connector id and a dot', example: 'payoneer.' })
  @IsOptional() @IsString() @MaxLength(128)
  prefix?: string;
}

/** Secrets: set or rotate by name; listing shows names and metadata, never values. */
@ApiTags('secrets')
@RequireRole('admin')
@Controller('api/secrets')
export class SecretsController {
  constructor(
    private readonly secrets: SecretStore,
    private readonly audit: AuditLogRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List secret names and metadata (values never leave the store)' })
  @ApiOkResponse({ schema: { example: { items: [{ name: 'payoneer.clientSecret', keyId: 'k1', metadata: { description: 'Payoneer OAuth2 client secret' }, createdAt: '2026-11-24T09:00:00.000Z', updatedAt: '2026-11-24T09:00:00.000Z', rotatedAt: null }], total: 1, limit: 50, offset: 0 } } })
  async list(@Query() query: SecretQueryDto): Promise<{ items: unknown[]; total: number; limit: number; offset: number }> {
    const matching = (await this.secrets.list()).filter((secret) => query.prefix === undefined || secret.name.startsWith(query.prefix));
    return { items: matching.slice(query.offset, query.offset + query.limit), total: matching.length, limit: query.limit, offset: query.offset };
  }

  @Put(':name')
  @ApiOperation({ summary: 'Set or rotate a secret' })
  @ApiOkResponse({ schema: { example: { name: 'payoneer.clientSecret', rotated: true } } })
  async put(@Param('name') name: string, @Body() body: PutSecretDto, @CurrentActor() actor: string): Promise<{ name: string; rotated: boolean }> {
    if (!SECRET_NAME.test(name)) {
      throw new ApiError(400, 'invalid_name', `secret names are letters, digits, ".", "_" and "-" (got "${name.slice(0, 64)}")`);
    }
    const existed = (await this.secrets.list()).some((secret) => secret.name === name);
    await this.secrets.set(name, body.value, body.description === undefined ? undefined : { description: body.description });
    await this.audit.append({ actor, action: existed ? 'secret.rotate' : 'secret.create', subjectType: 'secret', subjectId: name, details: {} });
    return { name, rotated: existed };
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a secret' })
  async remove(@Param('name') name: string, @CurrentActor() actor: string): Promise<void> {
    const removed = await this.secrets.delete(name);
    if (!removed) throw new ApiError(404, 'not_found', `no secret "${name}"`);
    await this.audit.append({ actor, action: 'secret.delete', subjectType: 'secret', subjectId: name, details: {} });
  }
}
