/** `actions/get-item.action.ts`: a sample read action. */
export function getItemActionTemplate(): string {
  return `import { defineAction } from '@switchboard/connector-sdk';

import { ITEM_SCHEMA, type Item } from './item.schema';

/** Reads one item by id. */
export const getItem = defineAction<{ id: string }, Item>({
  name: 'getItem',
  title: 'Get item',
  input: {
    type: 'object',
    required: ['id'],
    additionalProperties: false,
    properties: { id: { type: 'string', minLength: 1 } },
  },
  output: ITEM_SCHEMA,
  examples: [{ name: 'an existing item', input: { id: 'item-1' }, output: { id: 'item-1' } }],
  async run({ id }, { http }) {
    const response = await http.get<Item>(\`/items/\${encodeURIComponent(id)}\`);
    return response.body;
  },
});
`;
}
