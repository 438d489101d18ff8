import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AuditLogRepository,
  IdMapConflictError,
  type IdMapEntry,
  IdMapRepository,
  PersistenceInputError,
} from '@switchboard/persistence';
import { CurrentActor } from '../access/current-actor.decorator';
import { RequireRole } from '../access/require-role.decorator';
import { ApiError } from '../http/api-error';
import { type Page, PageQueryDto } from '../http/page-query.dto';
import { RUNTIME_ID_MAPS } from '../mapping-functions/create-mapping-functions';
import { type IdMapEntryView, PutIdMapEntryDto } from './id-map.dto';

/** Id maps ($lookup): list, inspect, set and delete entries, e.g. Clarity account → Payoneer payee. */
@ApiTags('id-maps')
@RequireRole('viewer')
@Controller('api/id-maps')
export class IdMapsController {
  constructor(
    private readonly idMaps: IdMapRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Namespaces: the declared ones (with their reverse lookup name) and every one holding entries' })
  async namespaces(): Promise<{ items: Array<{ namespace: string; entries: number; reverseName?: string; firstSight?: string; description?: string }> }> {
    const counts = new Map((await this.idMaps.namespaces()).map((row) => [row.namespace, row.entries]));
    const declared = RUNTIME_ID_MAPS.map((map) => ({
      namespace: map.name,
      entries: counts.get(map.name) ?? 0,
      reverseName: map.reverseName,
      firstSight: map.firstSight,
      description: map.description,
    }));
    const others = [...counts.entries()]
      .filter(([namespace]) => !RUNTIME_ID_MAPS.some((map) => map.name === namespace))
      .map(([namespace, entries]) => ({ namespace, entries }));
    return { items: [...declared, ...others] };
  }

  @Get(':namespace')
  @ApiOperation({ summary: 'Entries of a namespace, newest first (?limit, ?offset)' })
  async list(@Param('namespace') namespace: string, @Query() query: PageQueryDto): Promise<Page<IdMapEntryView>> {
    const page = await this.idMaps.list(namespace, { limit: query.limit, offset: query.offset });
    return { items: page.items.map(toView), total: page.total, limit: query.limit, offset: query.offset };
  }

  @Get(':namespace/:sourceId')
  @ApiOperation({ summary: 'One entry by source id' })
  async get(@Param('namespace') namespace: string, @Param('sourceId') sourceId: string): Promise<IdMapEntryView> {
    const entry = await this.idMaps.findBySource(namespace, sourceId);
    if (entry === undefined) throw new ApiError(404, 'not_found', `no entry "${sourceId}" in id map "${namespace}"`);
    return toView(entry);
  }

  @Put(':namespace/:sourceId')
  @RequireRole('operator')
  @ApiOperation({ summary: 'Create or change an entry (409 when the target id already belongs to another source id)' })
  async put(
    @Param('namespace') namespace: string,
    @Param('sourceId') sourceId: string,
    @Body() body: PutIdMapEntryDto,
    @CurrentActor() actor: string,
  ): Promise<{ entry: IdMapEntryView; created: boolean }> {
    let result: { entry: IdMapEntry; created: boolean };
    try {
      result = await this.idMaps.put(namespace, sourceId, body.targetId);
    } catch (error) {
      if (error instanceof IdMapConflictError) {
        throw new ApiError(409, 'id_map_conflict', error.message, { existingSourceId: error.existingSourceId });
      }
      if (error instanceof PersistenceInputError) throw new ApiError(400, 'invalid_id_map_entry', error.message);
      throw error;
    }
    await this.audit.append({
      actor,
      action: result.created ? 'id-map.create' : 'id-map.update',
      subjectType: 'id-map',
      subjectId: `${namespace}/${sourceId}`,
      details: { targetId: body.targetId },
    });
    return { entry: toView(result.entry), created: result.created };
  }

  @Delete(':namespace/:sourceId')
  @RequireRole('operator')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an entry' })
  async remove(
    @Param('namespace') namespace: string,
    @Param('sourceId') sourceId: string,
    @CurrentActor() actor: string,
  ): Promise<void> {
    if (!(await this.idMaps.delete(namespace, sourceId))) {
      throw new ApiError(404, 'not_found', `no entry "${sourceId}" in id map "${namespace}"`);
    }
    await this.audit.append({ actor, action: 'id-map.delete', subjectType: 'id-map', subjectId: `${namespace}/${sourceId}`, details: {} });
  }
}

function toView(entry: IdMapEntry): IdMapEntryView {
  return {
    namespace: entry.namespace,
    sourceId: entry.sourceId,
    targetId: entry.targetId,
    origin: entry.origin,
    createdAt: entry.createdAt.toISOString(),
    updatedAt: entry.updatedAt.toISOString(),
  };
}
