/** `actions/item.schema.ts`: the sample record shared by the sample actions. */
export function itemSchemaTemplate(): string {
  return `import { type JsonSchema } from '@switchboard/connector-sdk';

/** An item as the remote returns it. */
export interface Item {
  id: string;
  name: string;
  quantity: number;
}

export const ITEM_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'quantity'],
  properties: {
    id: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    quantity: { type: 'integer', minimum: 0 },
  },
};
`;
}
