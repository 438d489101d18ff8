import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErpAuthGuard } from './erp-auth.guard';
import { ERP_DOCTYPE_FIELDS, ErpStoreService } from './erp-store.service';
import { FrappeApiError } from './frappe-api.error';
import { withoutNulls } from './frappe-doc';
import { readFrappeListQuery, runFrappeListQuery } from './frappe-list-query';
import { JournalEntryService } from './journal-entry.service';
import { readFrappeBody } from './frappe-body';

/** Frappe's resource API: `/api/resource/{DocType}[/{name}]` (also under `/api/v1/`). */
@ApiTags('ERP / ERPNext (simulated)')
@UseGuards(ErpAuthGuard)
@Controller(['erp/api/resource', 'erp/api/v1/resource'])
export class ErpResourceController {
  constructor(
    @Inject(ErpStoreService) private readonly store: ErpStoreService,
    @Inject(JournalEntryService) private readonly journalEntries: JournalEntryService,
  ) {}

  @Get(':doctype')
  @ApiOperation({
    summary:
      'List: fields, filters, or_filters (JSON), limit_start, limit_page_length (default 20, 0 = all), order_by',
  })
  list(@Param('doctype') doctype: string, @Query() query: Record<string, unknown>) {
    this.assertDoctype(doctype);
    const fields = ERP_DOCTYPE_FIELDS[doctype] ?? [];
    const listQuery = readFrappeListQuery(query, fields);
    return {
      data: runFrappeListQuery(this.store.all(doctype), listQuery, (doc) =>
        this.store.insertionIndex(doc),
      ),
    };
  }

  @Get(':doctype/:name')
  @ApiOperation({ summary: 'Get one document with its child rows' })
  get(@Param('doctype') doctype: string, @Param('name') name: string) {
    this.assertDoctype(doctype);
    const doc = this.store.get(doctype, name);
    if (!doc) throw new FrappeApiError('DoesNotExistError', `${doctype} ${name} not found`);
    return { data: withoutNulls(doc) };
  }

  @Post(':doctype')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Insert (Journal Entry only; docstatus 1 submits). Unbalanced entries are refused with 417.',
  })
  insert(@Param('doctype') doctype: string, @Body() body: unknown) {
    this.assertWritable(doctype, 'create');
    return { data: withoutNulls(this.journalEntries.insert(readFrappeBody(body))) };
  }

  @Put(':doctype/:name')
  @ApiOperation({ summary: 'Update a draft, or submit/cancel with {docstatus}' })
  update(@Param('doctype') doctype: string, @Param('name') name: string, @Body() body: unknown) {
    this.assertWritable(doctype, 'write');
    return { data: withoutNulls(this.journalEntries.update(name, readFrappeBody(body))) };
  }

  @Delete(':doctype/:name')
  @HttpCode(202)
  @ApiOperation({ summary: 'Delete a draft or cancelled entry' })
  delete(@Param('doctype') doctype: string, @Param('name') name: string) {
    this.assertWritable(doctype, 'delete');
    this.journalEntries.delete(name);
    return { data: 'ok' };
  }

  private assertDoctype(doctype: string): void {
    if (!this.store.knows(doctype))
      throw new FrappeApiError('DoesNotExistError', `DocType ${doctype} not found`);
  }

  private assertWritable(doctype: string, action: string): void {
    this.assertDoctype(doctype);
    if (doctype !== 'Journal Entry')
      throw new FrappeApiError(
        'PermissionError',
        `Insufficient Permission for ${doctype} (${action})`,
        403,
      );
  }
}
