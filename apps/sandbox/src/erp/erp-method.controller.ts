import { All, Body, Controller, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErpAuthGuard } from './erp-auth.guard';
import { ERP_API_USER, ERP_DOCTYPE_FIELDS, ErpStoreService } from './erp-store.service';
import { FrappeApiError } from './frappe-api.error';
import { readFrappeBody } from './frappe-body';
import { withoutNulls } from './frappe-doc';
import {
  countFrappeDocs,
  parseJsonParam,
  readFrappeListQuery,
  runFrappeListQuery,
} from './frappe-list-query';
import { JournalEntryService } from './journal-entry.service';
import { displayText } from '../common/display-text';

/** Frappe's RPC API, `/api/method/{dotted.path}` → `{message}`, for the methods integrations use. */
@ApiTags('ERP / ERPNext (simulated)')
@UseGuards(ErpAuthGuard)
@Controller(['erp/api/method', 'erp/api/v1/method'])
export class ErpMethodController {
  constructor(
    @Inject(ErpStoreService) private readonly store: ErpStoreService,
    @Inject(JournalEntryService) private readonly journalEntries: JournalEntryService,
  ) {}

  @All(':method')
  @ApiOperation({
    summary:
      'frappe.client.get_list | get_count | get | get_value | submit | cancel, erpnext.setup.utils.get_exchange_rate, frappe.auth.get_logged_user',
  })
  call(
    @Param('method') method: string,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
  ) {
    const args = { ...query, ...readFrappeBody(body) };
    switch (method) {
      case 'frappe.auth.get_logged_user':
        return { message: ERP_API_USER };
      case 'frappe.client.get_list': {
        const doctype = this.doctype(args);
        const docs = runFrappeListQuery(
          this.store.all(doctype),
          readFrappeListQuery(args, ERP_DOCTYPE_FIELDS[doctype] ?? []),
          (doc) => this.store.insertionIndex(doc),
        );
        return { message: docs };
      }
      case 'frappe.client.get_count': {
        const doctype = this.doctype(args);
        return {
          message: countFrappeDocs(
            this.store.all(doctype),
            parseJsonParam(args.filters, 'filters'),
            ERP_DOCTYPE_FIELDS[doctype] ?? [],
          ),
        };
      }
      case 'frappe.client.get': {
        const doctype = this.doctype(args);
        const doc = this.store.get(doctype, displayText(args.name));
        if (!doc)
          throw new FrappeApiError(
            'DoesNotExistError',
            `${doctype} ${displayText(args.name)} not found`,
          );
        return { message: withoutNulls(doc) };
      }
      case 'frappe.client.get_value': {
        const doctype = this.doctype(args);
        const fieldname = displayText(args.fieldname) || 'name';
        const filters = parseJsonParam(args.filters, 'filters');
        const listQuery = readFrappeListQuery(
          {
            fields: JSON.stringify([fieldname]),
            filters: typeof filters === 'string' ? JSON.stringify({ name: filters }) : filters,
            limit_page_length: 1,
          },
          ERP_DOCTYPE_FIELDS[doctype] ?? [],
        );
        const [first] = runFrappeListQuery(this.store.all(doctype), listQuery, (doc) =>
          this.store.insertionIndex(doc),
        );
        return { message: first ?? null };
      }
      case 'frappe.client.submit': {
        const doc = parseJsonParam(args.doc, 'doc');
        if (doc === null || typeof doc !== 'object')
          throw new FrappeApiError(
            'ValidationError',
            'doc is required: the whole document as JSON',
          );
        return {
          message: withoutNulls(this.journalEntries.submitByDoc(doc as Record<string, unknown>)),
        };
      }
      case 'frappe.client.cancel':
        if (this.doctype(args) !== 'Journal Entry')
          throw new FrappeApiError('PermissionError', 'Not permitted', 403);
        this.journalEntries.cancelByName(displayText(args.name));
        return {};
      case 'erpnext.setup.utils.get_exchange_rate':
        return {
          message: this.exchangeRate(
            displayText(args.from_currency),
            displayText(args.to_currency),
            displayText(args.transaction_date) || '9999-12-31',
          ),
        };
      default:
        throw new FrappeApiError(
          'DoesNotExistError',
          `Failed to get method for command ${method}`,
          404,
        );
    }
  }

  private doctype(args: Record<string, unknown>): string {
    const doctype = typeof args.doctype === 'string' ? args.doctype : '';
    if (!this.store.knows(doctype))
      throw new FrappeApiError('DoesNotExistError', `DocType ${doctype} not found`);
    return doctype;
  }

  // ERPNext answers 0 when it has no rate on or before the date.
  private exchangeRate(from: string, to: string, date: string): number {
    if (from === to) return 1;
    const direct = this.latestRate(from, to, date);
    if (direct !== undefined) return direct;
    const inverse = this.latestRate(to, from, date);
    if (inverse !== undefined) return Number((1 / inverse).toFixed(9));
    return 0;
  }

  private latestRate(from: string, to: string, date: string): number | undefined {
    const [latest] = this.store
      .all('Currency Exchange')
      .filter(
        (rate) =>
          rate.from_currency === from && rate.to_currency === to && String(rate.date) <= date,
      )
      .sort((a, b) => String(b.date).localeCompare(String(a.date)));
    return latest === undefined ? undefined : Number(latest.exchange_rate);
  }
}
