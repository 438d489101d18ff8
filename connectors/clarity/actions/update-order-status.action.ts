import { defineAction } from '@switchboard/connector-sdk';

import { type ClaritySalesOrder, clarityRecordSchema } from '../clarity-records';
import { clarityPath } from '../clarity-settings';
import { type ClarityWriteEnvelope, clarityWriteResult } from '../clarity-write-result';

export interface UpdateOrderStatusInput {
  orderId: number;
  /** A Clarity status key: Confirmed, Full Payment Received, Shipped, … or the custom Reconciled. */
  statusKey: string;
  description?: string;
}

/**
 * Sets a sales order's status (`PUT Ordering/SalesOrder/Update`). Setting the status it already
 * has is harmless, so repeats are safe. A refusal (unknown order or status) is business
 * ACTION_FAILED with Clarity's messages.
 */
export const updateOrderStatus = defineAction<UpdateOrderStatusInput, ClaritySalesOrder>({
  name: 'updateOrderStatus',
  title: 'Update an order status',
  input: {
    type: 'object',
    required: ['orderId', 'statusKey'],
    additionalProperties: false,
    properties: {
      orderId: { type: 'integer', minimum: 1 },
      statusKey: { type: 'string', minLength: 1 },
      description: { type: 'string' },
    },
  },
  output: clarityRecordSchema(['StatusKey']),
  examples: [
    {
      name: 'mark an order reconciled',
      input: { orderId: 1, statusKey: 'Reconciled' },
      output: { ID: 1, StatusKey: 'Reconciled' },
    },
  ],
  async run(input, { http, settings }) {
    const response = await http.put<ClarityWriteEnvelope<ClaritySalesOrder>>(
      clarityPath(settings, 'Ordering/SalesOrder/Update'),
      {
        ID: input.orderId,
        StatusKey: input.statusKey,
        ...(input.description === undefined ? {} : { Description: input.description }),
      },
    );
    return clarityWriteResult(response.body, `set order ${input.orderId} to "${input.statusKey}"`);
  },
});
