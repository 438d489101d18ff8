import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InvalidSchemaError,
  SchemaCompatibilityError,
  SchemaRegistry,
  UnknownSchemaError,
} from './index';

// Fixtures are arbitrary JSON documents edited in place; typing every nested path would drown the tests.
 
type Json = Record<string, any>;

const invoiceV1: Json = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Invoice',
  type: 'object',
  additionalProperties: false,
  required: ['number', 'status'],
  properties: {
    number: { type: 'string', maxLength: 20 },
    status: { type: 'string', enum: ['open', 'paid', 'void'] },
  },
  examples: [{ number: 'INV-1', status: 'open' }],
};

function caught(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('SchemaRegistry', () => {
  describe('register', () => {
    it('refuses a version that breaks consumers of the previous one, listing each change, and keeps serving the old one', () => {
      const registry = new SchemaRegistry();
      registry.register('acme.invoice@1', invoiceV1);
      const breaking = structuredClone(invoiceV1);
      breaking.properties.status.enum = ['open', 'paid'];
      breaking.properties.number.maxLength = 10;
      breaking.properties.dueDate = { type: 'string', format: 'date' };
      breaking.required.push('dueDate');
      breaking.examples = [{ number: 'INV-1', status: 'open', dueDate: '2024-07-01' }];

      const error = caught(() => registry.register('acme.invoice@2', breaking));

      expect(error).toBeInstanceOf(SchemaCompatibilityError);
      expect((error as SchemaCompatibilityError).issues).toEqual([
        {
          path: 'dueDate',
          message: 'is now required: data written with the previous version may lack it',
        },
        { path: 'number', message: 'maxLength decreased from 20 to 10' },
        { path: 'status', message: 'enum no longer allows "void"' },
      ]);
      expect(error.message).toContain(
        'acme.invoice@2 is not backward compatible with acme.invoice@1',
      );
      expect(error.message).toContain('  - status: enum no longer allows "void"');
      expect(registry.has('acme.invoice@2')).toBe(false);
      expect(registry.latest('acme.invoice')).toBe('acme.invoice@1');
    });

    it('accepts a compatible version (even after refusing a breaking one with the same $id) and serves both', () => {
      const registry = new SchemaRegistry();
      registry.register('acme.invoice@1', invoiceV1);
      const v2 = structuredClone(invoiceV1);
      v2.$id = 'urn:acme:invoice:2';
      v2.properties.status.enum.push('overdue');
      const breaking = structuredClone(v2);
      breaking.properties.status.enum = ['open', 'overdue'];
      breaking.examples = [];
      expect(() => registry.register('acme.invoice@2', breaking)).toThrow(SchemaCompatibilityError);

      registry.register('acme.invoice@2', v2);

      expect(registry.latest('acme.invoice')).toBe('acme.invoice@2');
      expect(registry.refs()).toEqual(['acme.invoice@1', 'acme.invoice@2']);
      expect(registry.validator('acme.invoice@2')({ number: 'INV-2', status: 'overdue' })).toEqual({
        valid: true,
      });
      expect(
        registry.validator('acme.invoice@1')({ number: 'INV-2', status: 'overdue' }),
      ).toMatchObject({ valid: false });
    });

    it('gives a schema without $id one derived from its reference', () => {
      const registry = new SchemaRegistry();
      registry.register('acme.invoice@1', invoiceV1);
      expect((registry.schema('acme.invoice@1') as Json).$id).toBe(
        'https://switchboard.dev/schemas/acme.invoice/1.json',
      );
      expect(invoiceV1.$id).toBeUndefined();
    });

    it('ignores the same schema registered twice but refuses to change a published version', () => {
      const registry = new SchemaRegistry();
      registry.register('acme.invoice@1', invoiceV1);
      registry.register('acme.invoice@1', structuredClone(invoiceV1));
      const changed = { ...invoiceV1, title: 'Changed' };
      const error = caught(() => registry.register('acme.invoice@1', changed));
      expect(error).toBeInstanceOf(InvalidSchemaError);
      expect(error.message).toContain(
        'a published version never changes: register the change as acme.invoice@2',
      );
    });

    it('refuses versions that go backwards', () => {
      const registry = new SchemaRegistry();
      registry.register('acme.invoice@3', invoiceV1);
      expect(() => registry.register('acme.invoice@2', { ...invoiceV1, $id: 'urn:x' })).toThrow(
        'acme.invoice@3 is already registered; versions only move forward (next is acme.invoice@4)',
      );
    });

    it.each(['acme.invoice', 'acme.invoice@0', 'Acme.Invoice@1', 'acme.invoice@v2', '@1'])(
      'refuses the malformed reference %j',
      (ref) => {
        const error = caught(() => new SchemaRegistry().register(ref, invoiceV1));
        expect(error).toBeInstanceOf(InvalidSchemaError);
        expect(error.message).toContain(
          `"${ref}" is not a schema reference: expected <name>@<version>`,
        );
      },
    );

    it('refuses a schema with a misspelt keyword, then accepts the corrected one', () => {
      const registry = new SchemaRegistry();
      const misspelt = { ...invoiceV1, requried: ['number'] };
      const error = caught(() => registry.register('acme.invoice@1', misspelt));
      expect(error).toBeInstanceOf(InvalidSchemaError);
      expect(error.message).toContain(
        'acme.invoice@1 is not a valid JSON Schema: strict mode: unknown keyword: "requried"',
      );

      registry.register('acme.invoice@1', invoiceV1);
      expect(registry.has('acme.invoice@1')).toBe(true);
    });

    it('refuses a schema whose own examples do not match it', () => {
      const error = caught(() =>
        new SchemaRegistry().register('acme.invoice@1', {
          ...invoiceV1,
          examples: [{ number: 42, status: 'open' }],
        }),
      );
      expect(error.message).toBe(
        'acme.invoice@1: examples[0] does not match its own schema: number: must be string (got number 42)',
      );
    });

    it('refuses two versions sharing one $id', () => {
      const registry = new SchemaRegistry();
      registry.register('acme.invoice@1', { ...invoiceV1, $id: 'urn:acme:invoice' });
      expect(() =>
        registry.register('acme.invoice@2', { ...invoiceV1, $id: 'urn:acme:invoice' }),
      ).toThrow(
        'acme.invoice@2: $id "urn:acme:invoice" is already used by acme.invoice@1; every version needs its own $id',
      );
    });

    it('accepts draft-07 schemas too', () => {
      const registry = new SchemaRegistry();
      registry.register('acme.note@1', {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: { at: { type: 'string', format: 'date-time' } },
      });
      expect(registry.validator('acme.note@1')({ at: 'yesterday' })).toEqual({
        valid: false,
        issues: [{ path: 'at', message: 'must match format "date-time" (got string "yesterday")' }],
      });
    });
  });

  describe('lookups', () => {
    const registry = SchemaRegistry.load();

    it('names the latest version of each canonical entity', () => {
      expect(registry.latest('canonical.order')).toBe('canonical.order@1');
      expect(registry.latest('canonical.invoice')).toBeUndefined();
      expect(registry.has('canonical.journal-entry@1')).toBe(true);
      expect(registry.has('canonical.journal-entry@2')).toBe(false);
    });

    it('compiles each schema once: the same validator comes back every time', () => {
      expect(registry.validator('canonical.payment@1')).toBe(
        registry.validator('canonical.payment@1'),
      );
    });

    it('hands out schemas that cannot be changed behind its back', () => {
      const schema = registry.schema('canonical.order@1') as Json;
      expect(() => {
        schema.properties.status.enum.push('lost');
      }).toThrow(/not extensible/);
      expect(() => {
        schema.additionalProperties = true;
      }).toThrow(/read only/);
    });

    it('suggests the near reference for a typo', () => {
      const error = caught(() => registry.validator('canonical.ordr@1'));
      expect(error).toBeInstanceOf(UnknownSchemaError);
      expect((error as UnknownSchemaError).suggestion).toBe('canonical.order@1');
      expect(error.message).toMatch(
        /^unknown schema "canonical\.ordr@1" \(did you mean "canonical\.order@1"\?\); known: canonical\.customer@1, /,
      );
    });

    it('names the versions that exist when the version is wrong or missing', () => {
      expect(() => registry.schema('canonical.order@2')).toThrow(
        'unknown schema "canonical.order@2": canonical.order has version 1 (did you mean "canonical.order@1"?)',
      );
      expect(() => registry.schema('canonical.order')).toThrow(
        'unknown schema "canonical.order": a reference names a version (did you mean "canonical.order@1"?)',
      );
      expect(() => registry.schema('canonical.paymnt')).toThrow(
        '(did you mean "canonical.payment@1"?)',
      );
    });

    it('suggests nothing for a name unlike any known one', () => {
      const error = caught(() => registry.schema('warehouse.shipment@1')) as UnknownSchemaError;
      expect(error.suggestion).toBeUndefined();
      expect(error.message).not.toContain('did you mean');
    });
  });

  describe('load with extra directories', () => {
    let directory: string;
    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), 'schema-registry-'));
    });
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    function writeSchema(relativePath: string, content: unknown): string {
      const file = join(directory, relativePath);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
      return file;
    }

    it('adds <name>/<version>.json files beside the canonical ones, checking each version against the one before', () => {
      const v2 = structuredClone(invoiceV1);
      v2.properties.note = { type: 'string' };
      writeSchema('acme.invoice/2.json', v2);
      writeSchema('acme.invoice/1.json', invoiceV1);
      writeSchema('README.md', 'not a schema');

      const registry = SchemaRegistry.load([directory]);

      expect(registry.refs()).toEqual(
        expect.arrayContaining(['acme.invoice@1', 'acme.invoice@2', 'canonical.order@1']),
      );
      expect(registry.latest('acme.invoice')).toBe('acme.invoice@2');
    });

    it('refuses a new canonical version that breaks the shipped one, naming the file', () => {
      const order = structuredClone(SchemaRegistry.load().schema('canonical.order@1')) as Json;
      order.$id = 'https://switchboard.dev/schemas/canonical.order/2.json';
      order.required.push('orderNumber');
      const file = writeSchema('canonical.order/2.json', order);

      const error = caught(() => SchemaRegistry.load([directory]));

      expect(error).toBeInstanceOf(SchemaCompatibilityError);
      expect(error.message).toContain(
        `canonical.order@2 (${file}) is not backward compatible with canonical.order@1`,
      );
      expect(error.message).toContain('  - orderNumber: is now required');
    });

    it('names the file that is not JSON, is misplaced or misnamed, and the directory that is missing', () => {
      const broken = writeSchema('acme.invoice/1.json', '{ "type": ');
      expect(() => SchemaRegistry.load([directory])).toThrow(`${broken}: not valid JSON`);
      rmSync(broken);

      const misnamed = writeSchema('acme.invoice/v1.json', invoiceV1);
      expect(() => SchemaRegistry.load([directory])).toThrow(
        `${misnamed}: a schema file is named after its version`,
      );
      rmSync(misnamed);

      const loose = writeSchema('invoice.json', invoiceV1);
      expect(() => SchemaRegistry.load([directory])).toThrow(
        `${loose}: schema files go in <name>/<version>.json`,
      );

      expect(() => SchemaRegistry.load([join(directory, 'nope')])).toThrow(
        `cannot read schema directory ${join(directory, 'nope')}`,
      );
    });
  });
});
