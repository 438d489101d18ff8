import { defineAction } from '@switchboard/connector-sdk';

import { type ClaritySalesOrder, clarityRecordSchema } from '../clarity-records';
import { clarityPath } from '../clarity-settings';

/** By Clarity `ID` or by `CustomKey` (the order number): exactly one. */
export type GetSalesOrderInput = { id: number } | { key: string };

/** Reads one sales order as Clarity sends it (unknown → business NOT_FOUND). */
export const getSalesOrder = defineAction<GetSalesOrderInput, ClaritySalesOrder>({
  name: 'getSalesOrder',
  title: 'Get a sales order',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: { id: { type: 'integer', minimum: 1 }, key: { type: 'string', minLength: 1 } },
    oneOf: [{ required: ['id'] }, { required: ['key'] }],
  },
  output: clarityRecordSchema(['StatusKey']),
  examples: [{ name: 'the first order', input: { id: 1 }, output: { ID: 1 } }],
  async run(input, { http, settings }) {
    const route =
      'id' in input
        ? `Ordering/SalesOrder/ID/${input.id}`
        : `Ordering/SalesOrder/Key/${encodeURIComponent(input.key)}`;
    return (await http.get<ClaritySalesOrder>(clarityPath(settings, route))).body;
  },
});
