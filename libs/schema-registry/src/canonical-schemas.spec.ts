import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaRegistry } from './schema-registry';
import { SHIPPED_SCHEMAS } from './shipped-schemas';

const CANONICAL_REFS = [
  'canonical.customer@1',
  'canonical.fee@1',
  'canonical.journal-entry@1',
  'canonical.order@1',
  'canonical.payment@1',
  'canonical.payout@1',
];

// Fixtures are arbitrary JSON documents edited in place; typing every nested path would drown the tests.
 
type Json = Record<string, any>;

describe('canonical schemas shipped with the registry', () => {
  const registry = SchemaRegistry.load();
  const example = (ref: string): Json => {
    const [first]: Json[] = (registry.schema(ref) as Json).examples;
    return structuredClone(first!);
  };
  const issuesOf = (ref: string, value: unknown) => {
    const result = registry.validator(ref)(value);
    if (result.valid) throw new Error(`expected ${ref} to refuse ${JSON.stringify(value)}`);
    return result.issues;
  };

  it('ships every canonical entity of the money flows, one file per version, all loaded', () => {
    const schemasDir = join(__dirname, '..', 'schemas');
    const files = readdirSync(schemasDir).flatMap((name) =>
      readdirSync(join(schemasDir, name)).map((file) => `${name}@${file.replace(/\.json$/, '')}`),
    );
    expect(files.sort()).toEqual(Object.keys(SHIPPED_SCHEMAS).sort());
    expect(registry.refs()).toEqual(CANONICAL_REFS);
  });

  it.each(CANONICAL_REFS)(
    '%s is documented, closed at the top and extensible through attributes',
    (ref) => {
      const schema = registry.schema(ref) as Json;
      const [name, version] = ref.split('@');
      expect(schema.$id).toBe(`https://switchboard.dev/schemas/${name}/${version}.json`);
      expect(schema.title).toEqual(expect.any(String));
      expect(schema.description).toEqual(expect.any(String));
      expect(schema.additionalProperties).toBe(false);
      expect(schema.properties.attributes).toEqual({ $ref: '#/$defs/attributes' });
      expect(schema.examples).toHaveLength(1);
    },
  );

  it.each(CANONICAL_REFS)('%s accepts its own example, with extensions under attributes', (ref) => {
    const value = {
      ...example(ref),
      attributes: { segment: 'wholesale', score: 0.7, tags: ['vip'] },
    };
    expect(registry.validator(ref)(value)).toEqual({ valid: true });
  });

  it('defines shared building blocks (money, source ids, timestamps) identically in every schema', () => {
    const seen = new Map<string, { ref: string; definition: unknown }>();
    for (const ref of CANONICAL_REFS) {
      for (const [name, definition] of Object.entries((registry.schema(ref) as Json).$defs)) {
        const first = seen.get(name);
        if (first === undefined) seen.set(name, { ref, definition });
        else expect({ name, ref, definition }).toEqual({ name, ref, definition: first.definition });
      }
    }
    expect([...seen.keys()]).toEqual(
      expect.arrayContaining(['money', 'sourceRef', 'timestamp', 'attributes']),
    );
  });

  it('refuses money written as a binary float, naming the field and the value', () => {
    const order = example('canonical.order@1');
    order.totals.total.amount = 123.45;
    expect(issuesOf('canonical.order@1', order)).toEqual([
      { path: 'totals.total.amount', message: 'must be string (got number 123.45)' },
    ]);
  });

  it.each(['12.345678', '-5.00', '1e3', '012.00', '12.', ''])(
    'refuses the amount string %j',
    (amount) => {
      const payment = example('canonical.payment@1');
      payment.fee.amount = amount;
      expect(issuesOf('canonical.payment@1', payment)).toEqual([
        { path: 'fee.amount', message: expect.stringContaining(`must match pattern`) },
      ]);
    },
  );

  it.each(['eur', 'EURO', 'US$'])('refuses the currency %j', (currency) => {
    const order = example('canonical.order@1');
    order.totals.total.currency = currency;
    order.currency = currency;
    const issues = issuesOf('canonical.order@1', order);
    expect(issues.map((issue) => issue.path)).toEqual(['currency', 'totals.total.currency']);
    expect(issues[0]?.message).toContain(`(got string ${JSON.stringify(currency)})`);
  });

  it('reports every problem at once, each at its own path', () => {
    const order = example('canonical.order@1');
    delete order.status;
    order.id.source = 'shopify';
    order.createdAt = '2024-06-01 12:30';
    order.lines[0].quantity = 0;
    order.totalAmount = '123.45';
    const issues = issuesOf('canonical.order@1', order);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'status', message: 'is required' },
        { path: 'totalAmount', message: expect.stringContaining('is not allowed here') },
        {
          path: 'id.source',
          message: 'must be one of "clarity", "payoneer", "erp" (got string "shopify")',
        },
        {
          path: 'createdAt',
          message: 'must match format "date-time" (got string "2024-06-01 12:30")',
        },
        { path: 'lines.0.quantity', message: 'must be > 0' },
      ]),
    );
    expect(issues).toHaveLength(5);
  });

  it('refuses a status outside the canonical set, listing the allowed ones', () => {
    const payout = example('canonical.payout@1');
    payout.status = 'Transferred';
    expect(issuesOf('canonical.payout@1', payout)).toEqual([
      {
        path: 'status',
        message:
          'must be one of "draft", "queued", "submitted", "pending", "paid", "failed", "cancelled", "in_review" (got string "Transferred")',
      },
    ]);
  });

  it('checks the shape of journal entries: at least two lines, decimal-string debits and credits', () => {
    const entry = example('canonical.journal-entry@1');
    entry.lines = [{ account: 'Cash - ACME', debit: 10, credit: '0' }];
    expect(issuesOf('canonical.journal-entry@1', entry)).toEqual([
      { path: 'lines', message: 'must NOT have fewer than 2 items' },
      { path: 'lines.0.debit', message: 'must be string (got number 10)' },
    ]);
  });

  it('accepts an unbalanced journal entry: balancing is business logic, not shape', () => {
    const entry = example('canonical.journal-entry@1');
    entry.lines[0].debit = '999.00';
    expect(registry.validator('canonical.journal-entry@1')(entry)).toEqual({ valid: true });
  });

  it('requires the fee to name the record it was charged on', () => {
    const fee = example('canonical.fee@1');
    delete fee.sourceRecord.type;
    expect(issuesOf('canonical.fee@1', fee)).toEqual([
      { path: 'sourceRecord.type', message: 'is required' },
    ]);
  });

  it('refuses a zero FX rate and a payout attempt id the provider cannot take', () => {
    const payment = example('canonical.payment@1');
    payment.fxRate.rate = '0.000';
    expect(issuesOf('canonical.payment@1', payment).map((issue) => issue.path)).toEqual([
      'fxRate.rate',
    ]);

    const payout = example('canonical.payout@1');
    payout.clientReferenceId = 'commission 17';
    expect(issuesOf('canonical.payout@1', payout).map((issue) => issue.path)).toEqual([
      'clientReferenceId',
    ]);
  });

  it('refuses a customer with a malformed e-mail or country code', () => {
    const customer = example('canonical.customer@1');
    customer.email = 'grace-at-example.com';
    customer.address.country = 'de';
    expect(issuesOf('canonical.customer@1', customer).map((issue) => issue.path)).toEqual([
      'email',
      'address.country',
    ]);
  });

  it('refuses a value that is not an object at all, at the root path', () => {
    expect(issuesOf('canonical.fee@1', 'fee')).toEqual([
      { path: '', message: 'must be object (got string "fee")' },
    ]);
  });
});
