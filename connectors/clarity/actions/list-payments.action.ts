import { defineAction } from '@switchboard/connector-sdk';

import {
  CLARITY_LIST_INPUT,
  type ClarityRecord,
  clarityListSchema,
  clarityRecordSchema,
  fetchClarityPage,
} from '../clarity-records';
import { clarityPath, claritySettings } from '../clarity-settings';

export interface ListPaymentsInput {
  salesOrderId?: number;
  modifiedSince?: string;
  page?: number;
  pageSize?: number;
}

export interface PaymentList {
  payments: ClarityRecord[];
  totalCount: number;
  totalPages: number;
  page: number;
}

/** Payments (of one order, or modified since a time), as Clarity sends them. */
export const listPayments = defineAction<ListPaymentsInput, PaymentList>({
  name: 'listPayments',
  title: 'List payments',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: { ...CLARITY_LIST_INPUT, salesOrderId: { type: 'integer', minimum: 1 } },
  },
  output: clarityListSchema('payments', clarityRecordSchema(['SalesOrderID', 'Amount'])),
  examples: [
    { name: 'payments of order 1', input: { salesOrderId: 1 } },
    { name: 'all payments', input: {} },
  ],
  async run(input, { http, settings }) {
    const page = input.page ?? 1;
    const result = await fetchClarityPage<ClarityRecord>(
      http,
      clarityPath(settings, 'Payments/Payments'),
      { SalesOrderID: input.salesOrderId, ModifiedSince: input.modifiedSince },
      page,
      input.pageSize ?? claritySettings(settings).pageSize,
    );
    return {
      payments: result.Results,
      totalCount: result.TotalCount,
      totalPages: result.TotalPages,
      page: result.CurrentPage ?? page,
    };
  },
});
