import { checkBackwardCompatibility } from './backward-compatibility';
import { SchemaRegistry } from './schema-registry';

// Fixtures are arbitrary JSON documents edited in place; typing every nested path would drown the tests.
 
type Json = Record<string, any>;

/** A small order-like schema: closed object, a shared money definition, an array of lines. */
const previous: Json = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'status', 'total'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 64 },
    status: { type: 'string', enum: ['pending', 'paid', 'on_hold'] },
    note: { type: 'string', maxLength: 200 },
    quantity: { type: 'integer', minimum: 0, maximum: 100 },
    total: { $ref: '#/$defs/money' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { debit: { type: 'string', pattern: '^[0-9]+$' } },
      },
    },
    attributes: { type: 'object' },
  },
  $defs: {
    money: {
      type: 'object',
      additionalProperties: false,
      required: ['amount', 'currency'],
      properties: {
        amount: { type: 'string', pattern: '^[0-9]+(\\.[0-9]{1,4})?$' },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
      },
    },
  },
};

function evolve(change: (schema: Json) => void): Json {
  const next = structuredClone(previous);
  change(next);
  return next;
}

describe('checkBackwardCompatibility (new schema must read data written with the old one)', () => {
  it('finds nothing to refuse between a schema and itself', () => {
    expect(checkBackwardCompatibility(previous, structuredClone(previous))).toEqual([]);
  });

  describe('refuses', () => {
    it.each<[string, (schema: Json) => void, { path: string; message: string }]>([
      [
        'adding a required property',
        (s) => {
          s.properties.currency = { type: 'string' };
          s.required.push('currency');
        },
        {
          path: 'currency',
          message: 'is now required: data written with the previous version may lack it',
        },
      ],
      [
        'requiring a property that was optional',
        (s) => {
          s.required.push('note');
        },
        {
          path: 'note',
          message: 'is now required: data written with the previous version may lack it',
        },
      ],
      [
        'removing an enum value',
        (s) => (s.properties.status.enum = ['pending', 'paid']),
        { path: 'status', message: 'enum no longer allows "on_hold"' },
      ],
      [
        'narrowing to a const',
        (s) => {
          delete s.properties.status.enum;
          s.properties.status.const = 'paid';
        },
        { path: 'status', message: 'enum no longer allows "pending", "on_hold"' },
      ],
      [
        'adding an enum to a free string',
        (s) => (s.properties.note.enum = ['a', 'b']),
        { path: 'note', message: 'enum added: only "a", "b" accepted now' },
      ],
      [
        'changing a type',
        (s) => (s.properties.id.type = 'integer'),
        { path: 'id', message: 'type changed from "string" to "integer"' },
      ],
      [
        'narrowing number to integer',
        (s) => {
          s.properties.quantity.type = 'number';
        },
        { path: '', message: '' },
      ],
      [
        'changing a pattern',
        (s) => (s.$defs.money.properties.currency.pattern = '^(EUR|USD)$'),
        { path: 'total.currency', message: 'pattern changed from "^[A-Z]{3}$" to "^(EUR|USD)$"' },
      ],
      [
        'adding a pattern',
        (s) => (s.properties.id.pattern = '^[0-9]+$'),
        { path: 'id', message: 'pattern "^[0-9]+$" added' },
      ],
      [
        'decreasing maxLength',
        (s) => (s.properties.note.maxLength = 100),
        { path: 'note', message: 'maxLength decreased from 200 to 100' },
      ],
      [
        'increasing minLength',
        (s) => (s.properties.id.minLength = 3),
        { path: 'id', message: 'minLength increased from 1 to 3' },
      ],
      [
        'raising a minimum',
        (s) => (s.properties.quantity.minimum = 1),
        { path: 'quantity', message: 'minimum raised from 0 to 1' },
      ],
      [
        'making a minimum exclusive',
        (s) => {
          delete s.properties.quantity.minimum;
          s.properties.quantity.exclusiveMinimum = 0;
        },
        { path: 'quantity', message: 'minimum raised from 0 to 0 (exclusive)' },
      ],
      [
        'lowering a maximum',
        (s) => (s.properties.quantity.maximum = 10),
        { path: 'quantity', message: 'maximum lowered from 100 to 10' },
      ],
      [
        'adding multipleOf',
        (s) => (s.properties.quantity.multipleOf = 5),
        { path: 'quantity', message: 'multipleOf 5 added' },
      ],
      [
        'adding a format',
        (s) => (s.properties.note.format = 'email'),
        { path: 'note', message: 'format "email" added' },
      ],
      [
        'removing a property while additionalProperties is false',
        (s) => delete s.properties.note,
        {
          path: 'note',
          message:
            'property removed while additionalProperties is false: data that still carries it would be refused',
        },
      ],
      [
        'turning additionalProperties off',
        (s) => (s.properties.attributes.additionalProperties = false),
        {
          path: 'attributes',
          message:
            'additionalProperties turned off: data carrying properties the schema does not name would be refused',
        },
      ],
      [
        'adding a typed property to an open object',
        (s) => (s.properties.attributes.properties = { segment: { type: 'string' } }),
        {
          path: 'attributes.segment',
          message:
            'property added to an object that accepted any extra property: data written with the previous version may carry it with another shape',
        },
      ],
      [
        'tightening inside array items',
        (s) => (s.properties.lines.items.properties.debit.pattern = '^[1-9][0-9]*$'),
        { path: 'lines[].debit', message: 'pattern changed from "^[0-9]+$" to "^[1-9][0-9]*$"' },
      ],
      [
        'requiring a minimum number of items',
        (s) => (s.properties.lines.minItems = 2),
        { path: 'lines', message: 'minItems 2 added' },
      ],
      [
        'turning uniqueItems on',
        (s) => (s.properties.lines.uniqueItems = true),
        { path: 'lines', message: 'uniqueItems turned on' },
      ],
      [
        'a change it cannot reason about',
        (s) => (s.properties.note.not = { const: '' }),
        {
          path: 'note',
          message: '"not" changed: the checker cannot prove the change keeps old data valid',
        },
      ],
    ])('%s', (_label, change, expected) => {
      const issues = checkBackwardCompatibility(previous, evolve(change));
      if (expected.path === '' && expected.message === '') {
        // integer → number is the allowed direction; this row checks the reverse below.
        expect(issues).toEqual([]);
        expect(checkBackwardCompatibility(evolve(change), previous)).toEqual([
          { path: 'quantity', message: 'type changed from "number" to "integer"' },
        ]);
      } else {
        expect(issues).toEqual([expected]);
      }
    });

    it('every change at once, each listed with its own path', () => {
      const next = evolve((s) => {
        s.required.push('note');
        s.properties.status.enum = ['pending', 'paid'];
        s.$defs.money.properties.amount.type = 'number';
        delete s.$defs.money.properties.amount.pattern;
      });
      expect(checkBackwardCompatibility(previous, next)).toEqual([
        {
          path: 'note',
          message: 'is now required: data written with the previous version may lack it',
        },
        { path: 'status', message: 'enum no longer allows "on_hold"' },
        { path: 'total.amount', message: 'type changed from "string" to "number"' },
      ]);
    });

    it('a schema that refuses everything', () => {
      expect(checkBackwardCompatibility({ type: 'object' }, { not: {} })).toEqual([
        {
          path: '',
          message: '"not" changed: the checker cannot prove the change keeps old data valid',
        },
      ]);
      expect(
        checkBackwardCompatibility({ properties: { a: true } }, { properties: { a: false } }),
      ).toEqual([{ path: 'a', message: 'now refuses every value' }]);
    });

    it('tightening a $ref target by a keyword written beside the $ref', () => {
      const next = evolve((s) => {
        s.properties.total = { $ref: '#/$defs/money', required: ['amount'], maxProperties: 2 };
      });
      expect(checkBackwardCompatibility(previous, next)).toEqual([
        {
          path: 'total',
          message:
            'keywords beside $ref "#/$defs/money" also appear in its target (required); the checker cannot prove the change compatible',
        },
        { path: 'total', message: 'maxProperties 2 added' },
      ]);
    });

    it('dropping an anyOf branch', () => {
      const old = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
      expect(checkBackwardCompatibility(old, { anyOf: [{ type: 'string' }] })).toEqual([
        {
          path: '',
          message: 'anyOf branch 2 of the previous version is accepted by no branch of the new one',
        },
      ]);
    });
  });

  describe('allows', () => {
    it.each<[string, (schema: Json) => void]>([
      [
        'adding an optional property',
        (s) => (s.properties.reference = { type: 'string', maxLength: 10 }),
      ],
      [
        'widening an enum',
        (s) => {
          s.properties.status.enum.push('refunded');
        },
      ],
      ['dropping an enum', (s) => delete s.properties.status.enum],
      ['no longer requiring a property', (s) => (s.required = ['id', 'total'])],
      ['increasing maxLength', (s) => (s.properties.note.maxLength = 500)],
      [
        'lowering a minimum and raising a maximum',
        (s) => {
          s.properties.quantity.minimum = -10;
          s.properties.quantity.maximum = 1000;
        },
      ],
      ['removing a pattern', (s) => delete s.$defs.money.properties.currency.pattern],
      ['widening integer to number', (s) => (s.properties.quantity.type = 'number')],
      ['widening a type to a union', (s) => (s.properties.note.type = ['string', 'null'])],
      [
        'adding descriptions, titles and examples',
        (s) => {
          s.title = 'Order';
          s.properties.id.description = 'The order id';
          s.$defs.money.examples = [{ amount: '1.00', currency: 'EUR' }];
        },
      ],
      ['turning additionalProperties on', (s) => (s.additionalProperties = true)],
      [
        'removing a property from an open object',
        (s) => {
          s.additionalProperties = true;
          delete s.properties.note;
        },
      ],
      [
        'adding a property to a closed nested object',
        (s) => (s.properties.lines.items.properties.credit = { type: 'string' }),
      ],
      [
        'inlining a $ref with the same content',
        (s) => {
          s.properties.total = structuredClone(s.$defs.money);
        },
      ],
    ])('%s', (_label, change) => {
      expect(checkBackwardCompatibility(previous, evolve(change))).toEqual([]);
    });

    it('adding an anyOf branch', () => {
      const old = { anyOf: [{ type: 'string' }] };
      expect(
        checkBackwardCompatibility(old, { anyOf: [{ type: 'string' }, { type: 'integer' }] }),
      ).toEqual([]);
    });

    it('walking a recursive schema through anyOf without looping', () => {
      const nested = { anyOf: [{ type: 'string' }, { type: 'array', items: { $ref: '#' } }] };
      expect(checkBackwardCompatibility(nested, structuredClone(nested))).toEqual([]);
      const widened = { anyOf: [...nested.anyOf, { type: 'integer' }] };
      expect(checkBackwardCompatibility(nested, widened)).toEqual([]);
    });

    it('walking a recursive schema without looping', () => {
      const tree = {
        type: 'object',
        properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } },
      };
      expect(checkBackwardCompatibility(tree, structuredClone(tree))).toEqual([]);
      const narrowed = structuredClone(tree);
      narrowed.properties.name = { type: 'string', maxLength: 5 } as Json as { type: string };
      expect(checkBackwardCompatibility(tree, narrowed)).toEqual([
        { path: 'name', message: 'maxLength 5 added' },
      ]);
    });
  });

  it('accepts an optional property added to a shipped canonical schema and refuses a removed status', () => {
    const order = SchemaRegistry.load().schema('canonical.order@1') as Json;
    const withChannel = structuredClone(order);
    withChannel.properties.salesChannel = {
      type: 'string',
      description: 'Storefront the order came through.',
    };
    expect(checkBackwardCompatibility(order, withChannel)).toEqual([]);

    const withoutOnHold = structuredClone(order);
    withoutOnHold.properties.status.enum = order.properties.status.enum.filter(
      (status: string) => status !== 'on_hold',
    );
    withoutOnHold.$defs.money.properties = {
      ...order.$defs.money.properties,
      amount: { type: 'number' },
    };
    expect(checkBackwardCompatibility(order, withoutOnHold)).toEqual(
      expect.arrayContaining([
        { path: 'status', message: 'enum no longer allows "on_hold"' },
        { path: 'totals.total.amount', message: 'type changed from "string" to "number"' },
        { path: 'lines[].unitPrice.amount', message: 'type changed from "string" to "number"' },
      ]),
    );
  });
});
