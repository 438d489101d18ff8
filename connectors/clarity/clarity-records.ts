import { type HttpClient, type JsonSchema } from '@switchboard/connector-sdk';

/** A Clarity record as the API sends it (PascalCase); the fields the connector relies on are typed. */
export interface ClarityRecord {
  ID: number;
  CustomKey?: string | null;
  UpdatedDate?: string;
  [field: string]: unknown;
}

/** A sales order as Clarity sends it. */
export interface ClaritySalesOrder extends ClarityRecord {
  StatusKey: string;
  AccountID?: number;
  CurrencyKey?: string;
  Totals?: Record<string, number>;
}

/** Schema of a Clarity record: PascalCase, ID required, other fields passed through. */
export const clarityRecordSchema = (required: string[] = []): JsonSchema => ({
  type: 'object',
  required: ['ID', ...required],
  properties: {
    ID: { type: 'integer' },
    CustomKey: { type: ['string', 'null'] },
    UpdatedDate: { type: 'string' },
  },
});

/** A ServiceStack list page. */
export interface ClarityPage<T> {
  Results: T[];
  TotalCount: number;
  TotalPages: number;
  CurrentPage: number;
}

/** The list answer the actions give: Clarity's records plus camelCase paging facts. */
export const clarityListSchema = (key: string, item: JsonSchema): JsonSchema => ({
  type: 'object',
  required: [key, 'totalCount', 'totalPages', 'page'],
  properties: {
    [key]: { type: 'array', items: item },
    totalCount: { type: 'integer' },
    totalPages: { type: 'integer' },
    page: { type: 'integer' },
  },
});

/** The paging and filter input every list action takes. */
export const CLARITY_LIST_INPUT: Record<string, JsonSchema> = {
  modifiedSince: { type: 'string', format: 'date-time' },
  page: { type: 'integer', minimum: 1 },
  pageSize: { type: 'integer', minimum: 1, maximum: 1000 },
};

/** Reads one page of a Clarity list route (`Paging.StartIndex` is the 1-based page). */
export async function fetchClarityPage<T>(
  http: HttpClient,
  path: string,
  query: Record<string, string | number | undefined>,
  page: number,
  pageSize: number,
): Promise<ClarityPage<T>> {
  const response = await http.get<ClarityPage<T>>(path, {
    query: { ...query, 'Paging.StartIndex': page, 'Paging.Size': pageSize },
  });
  return response.body;
}
