import { SchemaCompileError, compileJsonSchema } from './json-schema';

describe('compileJsonSchema', () => {
  it('answers each problem with its JSON pointer', () => {
    const validator = compileJsonSchema({
      type: 'object',
      required: ['amount'],
      properties: {
        amount: { type: 'number' },
        currency: { enum: ['USD', 'EUR'] },
        email: { type: 'string', format: 'email' },
      },
    });
    expect(
      validator.problems({ amount: 5, currency: 'USD', email: 'finance@example.com' }),
    ).toEqual([]);
    expect(validator.problems({ currency: 'GBP', email: 'nope' })).toEqual([
      "(root) must have required property 'amount'",
      '/currency must be equal to one of the allowed values: ["USD","EUR"]',
      '/email must match format "email"',
    ]);
  });

  it('refuses unknown keywords, so a typo cannot silently check nothing', () => {
    expect(() => compileJsonSchema({ type: 'object', requird: ['id'] })).toThrow(
      SchemaCompileError,
    );
    expect(() => compileJsonSchema({ type: 'object', requird: ['id'] })).toThrow(
      'unknown keyword: "requird"',
    );
  });

  it('keeps two schemas that reuse an $id apart, and frees the $id of a schema that failed', () => {
    const order = compileJsonSchema({
      $id: 'https://example.com/thing',
      type: 'object',
      required: ['orderId'],
    });
    const payout = compileJsonSchema({
      $id: 'https://example.com/thing',
      type: 'object',
      required: ['payoutId'],
    });
    expect(order.problems({ orderId: 1 })).toEqual([]);
    expect(payout.problems({ orderId: 1 })).toEqual([
      "(root) must have required property 'payoutId'",
    ]);

    expect(() => compileJsonSchema({ $id: 'https://example.com/fixed', type: 'strng' })).toThrow(
      SchemaCompileError,
    );
    expect(
      compileJsonSchema({ $id: 'https://example.com/fixed', type: 'string' }).problems('ok'),
    ).toEqual([]);
  });

  it('fills declared defaults when asked to', () => {
    const settings = { storeId: 'eu' };
    compileJsonSchema(
      { type: 'object', properties: { pageSize: { type: 'integer', default: 50 } } },
      { useDefaults: true },
    ).problems(settings);
    expect(settings).toEqual({ storeId: 'eu', pageSize: 50 });
  });
});
