import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditLogRepository } from '@switchboard/persistence';
import { ApiError } from '../http/api-error';
import type { Page } from '../http/page-query.dto';
import { ApiKeyQueryDto, ApiKeySummaryDto, CreateApiKeyDto, IssuedApiKeyDto } from './api-key.dto';
import { ApiKeyService, type IssuedApiKey } from './api-key.service';
import type { ApiPrincipal } from './api-principal';
import { CurrentActor, type AuthenticatedRequest } from './current-actor.decorator';
import { RequireRole } from './require-role.decorator';

/** API keys: admins issue (shown once), list (prefix only) and revoke them. */
@ApiTags('access')
@RequireRole('admin')
@Controller('api/keys')
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly audit: AuditLogRepository,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Issue an API key; the answer is the only time the key is shown' })
  @ApiCreatedResponse({ type: IssuedApiKeyDto })
  async create(@Body() body: CreateApiKeyDto, @CurrentActor() actor: string): Promise<IssuedApiKey> {
    const issued = await this.keys.create(body.name, body.role, actor);
    await this.audit.append({ actor, action: 'api_key.create', subjectType: 'api_key', subjectId: issued.id, details: { name: issued.name, role: issued.role, prefix: issued.prefix } });
    return issued;
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (prefix and metadata, never the key), newest first' })
  @ApiOkResponse({ type: ApiKeySummaryDto, isArray: true, description: 'in `items` of a page `{items, total, limit, offset}`' })
  async list(@Query() query: ApiKeyQueryDto): Promise<Page<ApiKeySummaryDto>> {
    const { limit, offset, ...filter } = query;
    const { items, total } = await this.keys.list(filter, { limit, offset });
    return { items, total, limit, offset };
  }

  @Get('current')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'The key making this request: name, role and prefix' })
  current(@Req() request: AuthenticatedRequest): ApiPrincipal {
    if (request.principal === undefined) throw new ApiError(401, 'unauthorized', 'an API key is required');
    return request.principal;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; its next request answers 401' })
  async revoke(@Param('id') id: string, @CurrentActor() actor: string): Promise<void> {
    if (!(await this.keys.revoke(id))) throw new ApiError(404, 'not_found', `no live API key ${id}`);
    await this.audit.append({ actor, action: 'api_key.revoke', subjectType: 'api_key', subjectId: id, details: {} });
  }
}
