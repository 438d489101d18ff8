import { defineAction } from '@switchboard/connector-sdk';

import {
  CLARITY_LIST_INPUT,
  type ClaritySalesOrder,
  clarityListSchema,
  clarityRecordSchema,
  fetchClarityPage,
} from '../clarity-records';
import { clarityPath, claritySettings } from '../clarity-settings';

export interface ListSalesOrdersInput {
  /** ISO 8601; inclusive (orders updated at or after it). */
  modifiedSince?: string;
  statusKey?: string;
  accountId?: number;
  page?: number;
  pageSize?: number;
}

export interface SalesOrderList {
  orders: ClaritySalesOrder[];
  totalCount: number;
  totalPages: number;
  page: number;
}

/** One page of sales orders, oldest update first, filtered by `ModifiedSince`, status, account. */
export const listSalesOrders = defineAction<ListSalesOrdersInput, SalesOrderList>({
  name: 'listSalesOrders',
  title: 'List sales orders',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...CLARITY_LIST_INPUT,
      statusKey: { type: 'string', minLength: 1 },
      accountId: { type: 'integer', minimum: 1 },
    },
  },
  output: clarityListSchema('orders', clarityRecordSchema(['StatusKey'])),
  examples: [
    { name: 'first page', input: { pageSize: 5 } },
    { name: 'modified since 2020', input: { modifiedSince: '2020-01-01T00:00:00Z', page: 1 } },
  ],
  async run(input, { http, settings }) {
    const page = input.page ?? 1;
    const result = await fetchClarityPage<ClaritySalesOrder>(
      http,
      clarityPath(settings, 'Ordering/SalesOrders'),
      {
        ModifiedSince: input.modifiedSince,
        StatusKey: input.statusKey,
        AccountID: input.accountId,
      },
      page,
      input.pageSize ?? claritySettings(settings).pageSize,
    );
    return {
      orders: result.Results,
      totalCount: result.TotalCount,
      totalPages: result.TotalPages,
      page: result.CurrentPage ?? page,
    };
  },
});
