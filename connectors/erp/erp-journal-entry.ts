import { type HttpClient, type JsonSchema } from '@switchboard/connector-sdk';

import { type ErpSettings } from './erp-settings';

/** A Journal Entry as the connector answers it: the ERP document's key facts, camelCase. */
export interface JournalEntrySummary {
  name: string;
  reference: string;
  /** 0 draft, 1 submitted, 2 cancelled. */
  docstatus: number;
  postingDate: string;
  company: string;
  totalDebit: number;
  totalCredit: number;
}

/** JSON Schema of `JournalEntrySummary`. */
export const JOURNAL_ENTRY_SUMMARY_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['name', 'reference', 'docstatus', 'postingDate', 'company'],
  properties: {
    name: { type: 'string' },
    reference: { type: 'string' },
    docstatus: { type: 'integer', enum: [0, 1, 2] },
    postingDate: { type: 'string' },
    company: { type: 'string' },
    totalDebit: { type: 'number' },
    totalCredit: { type: 'number' },
  },
};

interface JournalEntryDoc {
  name: string;
  docstatus?: number;
  posting_date?: string;
  company?: string;
  total_debit?: number;
  total_credit?: number;
  [field: string]: unknown;
}

/** The Journal Entry resource of the Frappe REST API. */
export const JOURNAL_ENTRY_PATH = '/api/resource/Journal Entry';

/** Finds the (at most one) Journal Entry carrying `reference` in the reference field. */
export async function findJournalEntryByReference(
  http: HttpClient,
  settings: ErpSettings,
  reference: string,
): Promise<JournalEntrySummary | undefined> {
  const response = await http.get<{ data: JournalEntryDoc[] }>(JOURNAL_ENTRY_PATH, {
    query: {
      fields: JSON.stringify([
        'name',
        'docstatus',
        'posting_date',
        'company',
        'total_debit',
        'total_credit',
        settings.referenceField,
      ]),
      filters: JSON.stringify([[settings.referenceField, '=', reference]]),
      // Cancelled entries keep their reference; the live one (if any) is preferred.
      order_by: 'docstatus asc',
      limit_page_length: 2,
    },
  });
  const found = response.body.data.find((doc) => doc.docstatus !== 2) ?? response.body.data[0];
  return found === undefined ? undefined : toSummary(found, settings, reference);
}

/** Maps an ERP document to the connector's summary. */
export function toSummary(
  doc: JournalEntryDoc,
  settings: ErpSettings,
  reference: string,
): JournalEntrySummary {
  const stored = doc[settings.referenceField];
  return {
    name: doc.name,
    reference: typeof stored === 'string' ? stored : reference,
    docstatus: doc.docstatus ?? 0,
    postingDate: doc.posting_date ?? '',
    company: doc.company ?? settings.company,
    totalDebit: doc.total_debit ?? 0,
    totalCredit: doc.total_credit ?? 0,
  };
}
