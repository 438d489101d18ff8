/** `actions/create-item.action.ts`: a sample write action, idempotent through the flow's key. */
export function createItemActionTemplate(): string {
  return `import { defineAction } from '@switchboard/connector-sdk';

import { ITEM_SCHEMA, type Item } from './item.schema';

/** Creates an item; the flow's idempotency key makes a retried call return the first result. */
export const createItem = defineAction<{ name: string; quantity: number }, Item>({
  name: 'createItem',
  title: 'Create item',
  input: {
    type: 'object',
    required: ['name', 'quantity'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1 },
      quantity: { type: 'integer', minimum: 0 },
    },
  },
  output: ITEM_SCHEMA,
  examples: [
    { name: 'a new item', input: { name: 'Widget', quantity: 2 }, output: { name: 'Widget' } },
  ],
  async run(input, { http, idempotencyKey }) {
    const response = await http.post<Item>('/items', input, {
      headers: idempotencyKey === undefined ? {} : { 'Idempotency-Key': idempotencyKey },
      // Only a keyed POST is safe to repeat after a timeout.
      idempotent: idempotencyKey !== undefined,
    });
    return response.body;
  },
});
`;
}
