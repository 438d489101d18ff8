import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorError } from '@switchboard/connector-sdk';
import { MappingEngine } from './mapping-engine';
import {
  MappingCompileError,
  MappingEvaluationError,
  MappingFunctionUnavailableError,
} from './mapping-errors';
import { type MappingFunctions } from './mapping-functions';
import { TableMappingFunctions } from './table-mapping-functions';

async function evaluationError(promise: Promise<unknown>): Promise<MappingEvaluationError> {
  const error: unknown = await promise.then(
    (value) => {
      throw new Error(`expected the evaluation to fail, it returned ${JSON.stringify(value)}`);
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(MappingEvaluationError);
  return error as MappingEvaluationError;
}

function compileError(run: () => unknown): MappingCompileError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MappingCompileError);
    return error as MappingCompileError;
  }
  throw new Error('expected a MappingCompileError');
}

describe('MappingEngine', () => {
  describe('compile', () => {
    it('hands back the same compiled mapping for the same text, and a new one for other text', () => {
      const engine = new MappingEngine();
      const first = engine.compile('{ "id": ID }', 'a.jsonata');
      expect(engine.compile('{ "id": ID }', 'b.jsonata')).toBe(first);
      expect(engine.compile('{ "id": ID, "x": 1 }', 'a.jsonata')).not.toBe(first);
      expect(first.hash).toBe(createHash('sha256').update('{ "id": ID }').digest('hex'));
      expect(first.origin).toBe('a.jsonata');
    });

    it('points a syntax error at origin:line:column of the offending token', () => {
      const source = '(\n  $a := 1;\n  $b := [1, 2 3]\n)';
      const error = compileError(() =>
        new MappingEngine().compile(source, 'mappings/x-to-y/order.jsonata'),
      );
      expect(error.line).toBe(3);
      expect(error.column).toBe(15);
      expect(error.code).toBe('S0202');
      expect(error.message).toBe(
        'mappings/x-to-y/order.jsonata:3:15 syntax error: expected "]", got 3 (S0202)',
      );
    });

    it('points an unfinished expression just past its last character', () => {
      const error = compileError(() =>
        new MappingEngine().compile('{\n  "total": Totals.Total\n\n', 'o.jsonata'),
      );
      // Line 2 is `  "total": Totals.Total` (23 characters): column 24 is just past it.
      expect([error.line, error.column]).toEqual([2, 24]);
      expect(error.message).toMatch(/^o\.jsonata:2:24 syntax error: /);
    });

    it('reads a mapping file and names the path as given; an unreadable file is a compile error', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sb-mapping-'));
      try {
        const file = join(dir, 'order.jsonata');
        writeFileSync(file, '{ "orderId": $string(ID) }');
        const mapping = new MappingEngine().compileFile(file);
        expect(mapping.origin).toBe(file);
        await expect(mapping.evaluate({ ID: 7 })).resolves.toEqual({ orderId: '7' });

        const missing = compileError(() =>
          new MappingEngine().compileFile(join(dir, 'nope.jsonata')),
        );
        expect(missing.code).toBe('ENOENT');
        expect(missing.message).toContain(
          `${join(dir, 'nope.jsonata')}: cannot read the mapping file`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses limits that are not positive numbers', () => {
      expect(() => new MappingEngine(undefined, { timeoutMs: 0 })).toThrow(
        'timeoutMs must be a positive number',
      );
      expect(() => new MappingEngine(undefined, { maxDepth: Number.NaN })).toThrow('maxDepth');
    });
  });

  describe('evaluate', () => {
    it('returns plain JSON: ordinary objects and arrays without JSONata sequence flags', async () => {
      const mapping = new MappingEngine().compile(
        '{ "lines": Lines.{ "sku": Sku, "qty": Qty }, "skus": [Lines.Sku], "one": [Lines[0].Sku] }',
        'o',
      );
      const output = (await mapping.evaluate({
        Lines: [
          { Sku: 'A', Qty: 1 },
          { Sku: 'B', Qty: 2 },
        ],
      })) as Record<string, unknown>;

      expect(output).toStrictEqual({
        lines: [
          { sku: 'A', qty: 1 },
          { sku: 'B', qty: 2 },
        ],
        skus: ['A', 'B'],
        one: ['A'],
      });
      expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
      for (const list of [output.lines, output.skus, output.one] as unknown[][]) {
        expect(Object.keys(list)).toEqual(list.map((_item, index) => String(index)));
        expect(Object.prototype.hasOwnProperty.call(list, 'sequence')).toBe(false);
      }
      // A prototype-less object would throw here instead.
      expect(typeof output.hasOwnProperty).toBe('function');
    });

    it('drops functions from the output, as JSON would', async () => {
      const output = await new MappingEngine()
        .compile('{ "f": function($x) { $x }, "n": 1, "list": [1, $uppercase] }', 'o')
        .evaluate({});
      expect(output).toStrictEqual({ n: 1, list: [1, null] });
    });

    it('passes bindings to the expression and returns nothing when nothing matches', async () => {
      const mapping = new MappingEngine().compile('{ "flow": $flowId, "id": ID }', 'o');
      await expect(
        mapping.evaluate({ ID: 'X' }, { flowId: 'clarity-order-created' }),
      ).resolves.toEqual({ flow: 'clarity-order-created', id: 'X' });
      await expect(
        new MappingEngine().compile('Missing.Field', 'o').evaluate({}),
      ).resolves.toBeUndefined();
    });

    it('reports a runtime error with origin:line:column, the JSONata code, and the expression message', async () => {
      const mapping = new MappingEngine().compile(
        '(\n  $total := Total;\n  $total + "EUR"\n)',
        'mappings/a-to-b/order.jsonata',
      );
      const error = await evaluationError(mapping.evaluate({ Total: 12 }));
      expect(error.reason).toBe('runtime');
      expect(error.code).toBe('T2002');
      expect([error.line, error.column]).toEqual([3, 10]);
      expect(error.message).toMatch(
        /^mappings\/a-to-b\/order\.jsonata:3:10 The right side of the "\+" operator must evaluate to a number \(T2002\)$/,
      );
    });

    it("carries $error()'s own message", async () => {
      const mapping = new MappingEngine().compile(
        'Status = "ok" ? "fine" : $error("unknown status " & Status)',
        'o.jsonata',
      );
      const error = await evaluationError(mapping.evaluate({ Status: 'Teleported' }));
      expect(error.message).toContain('unknown status Teleported');
      expect(error.code).toBe('D3137');
    });
  });

  describe('limits', () => {
    it('stops an endless tail recursion with a timeout, and the engine keeps serving the next message', async () => {
      const engine = new MappingEngine(undefined, { timeoutMs: 150 });
      const runaway = engine.compile('($f := function($n){ $f($n + 1) }; $f(0))', 'loop.jsonata');
      const error = await evaluationError(runaway.evaluate({}));
      expect(error.reason).toBe('timeout');
      expect(error.code).toBe('MAPPING_TIMEOUT');
      expect(error.message).toContain('loop.jsonata');
      expect(error.message).toContain('timed out after 150 ms');

      await expect(
        engine.compile('{ "id": ID }', 'next.jsonata').evaluate({ ID: 1 }),
      ).resolves.toEqual({ id: 1 });
      // The same compiled mapping is not left in a broken state either.
      await expect(runaway.evaluate({})).rejects.toMatchObject({ reason: 'timeout' });
    });

    it('stops a huge range walk with a timeout', async () => {
      const error = await evaluationError(
        new MappingEngine(undefined, { timeoutMs: 150 })
          .compile('[1..10000000].($)', 'range.jsonata')
          .evaluate({}),
      );
      expect(error.reason).toBe('timeout');
    });

    it('stops a recursion that never reaches a base case at maxDepth', async () => {
      const mapping = new MappingEngine(undefined, { maxDepth: 50 }).compile(
        '($f := function($n){ 1 + $f($n + 1) }; $f(0))',
        'deep.jsonata',
      );
      const error = await evaluationError(mapping.evaluate({}));
      expect(error.reason).toBe('depth');
      expect(error.code).toBe('MAPPING_DEPTH');
      expect(error.message).toMatch(/^deep\.jsonata:1:\d+ recursion deeper than 50 calls/);
    });

    it('catches recursion through a function passed as a parameter too', async () => {
      const mapping = new MappingEngine(undefined, { maxDepth: 50 }).compile(
        '($y := function($g, $n){ 1 + $g($g, $n + 1) }; $y($y, 0))',
        'y.jsonata',
      );
      await expect(mapping.evaluate({})).rejects.toMatchObject({ reason: 'depth' });
    });

    it('lets a recursion within maxDepth finish', async () => {
      const mapping = new MappingEngine(undefined, { maxDepth: 100 }).compile(
        '($sum := function($n){ $n = 0 ? 0 : $n + $sum($n - 1) }; $sum(90))',
        'o',
      );
      await expect(mapping.evaluate({})).resolves.toBe(4095);
    });

    it('does not mistake a wide group-by calling a helper per key for deep recursion', async () => {
      const items = Array.from({ length: 1500 }, (_item, index) => ({
        sku: `S${index}`,
        qty: index,
      }));
      const mapping = new MappingEngine(undefined, { maxDepth: 20, timeoutMs: 10_000 }).compile(
        '($money := function($v){ $string($v) }; items{ sku: $money(qty) })',
        'o',
      );
      const output = (await mapping.evaluate({ items })) as Record<string, string>;
      expect(Object.keys(output)).toHaveLength(1500);
      expect(output.S1499).toBe('1499');
    });

    it('keeps concurrent evaluations of one mapping apart: one running out of depth does not fail the other', async () => {
      const mapping = new MappingEngine(undefined, { maxDepth: 60 }).compile(
        '($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(depth))',
        'o',
      );
      const results = await Promise.allSettled([
        mapping.evaluate({ depth: 55 }),
        mapping.evaluate({ depth: 1000 }),
        mapping.evaluate({ depth: 55 }),
      ]);
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect(results[0]).toEqual({ status: 'fulfilled', value: 55 });
    });
  });

  describe('$lookup and $fx', () => {
    const tables = new TableMappingFunctions({
      lookups: { 'payoneer-payee': { '1001': 'PAYEE-77' } },
      rates: [{ from: 'EUR', to: 'USD', rate: '1.0832', validFrom: '2026-01-01' }],
    });

    it('answers from the functions the engine was built with', async () => {
      const mapping = new MappingEngine(tables).compile(
        '{ "payee": $lookup("payoneer-payee", AccountID), "usd": $fx(Amount, "EUR", "USD", Date), "none": $lookup("payoneer-payee", Missing) }',
        'o',
      );
      await expect(
        mapping.evaluate({ AccountID: 1001, Amount: '100.00', Date: '2026-03-01T10:00:00Z' }),
      ).resolves.toEqual({
        payee: 'PAYEE-77',
        usd: '108.32',
      });
    });

    it('fails the evaluation with reason "function" and the missing entry named', async () => {
      const mapping = new MappingEngine(tables).compile(
        '{\n  "payee": $lookup("payoneer-payee", AccountID)\n}',
        'payout.jsonata',
      );
      const error = await evaluationError(mapping.evaluate({ AccountID: '2002' }));
      expect(error.reason).toBe('function');
      expect(error.code).toBe('LOOKUP_MISSING');
      expect(error.line).toBe(2);
      expect(error.message).toContain('no entry for id "2002" in id map "payoneer-payee"');
    });

    it('fails loudly when the runtime has no function source, never inventing a value', async () => {
      const error = await evaluationError(
        new MappingEngine().compile('$lookup("payoneer-payee", "1001")', 'o').evaluate({}),
      );
      expect(error.reason).toBe('function');
      expect(error.cause).toBeInstanceOf(MappingFunctionUnavailableError);
      expect(error.message).toContain('$lookup is not configured in this runtime');
    });

    it("keeps the implementation's own error as the cause, so its failure class survives", async () => {
      const failing: MappingFunctions = {
        lookup: async () => {
          throw new ConnectorError('transient', 'id-map store unreachable');
        },
        fx: async () => '0',
      };
      const error = await evaluationError(
        new MappingEngine(failing).compile('$lookup("payoneer-payee", "1")', 'o').evaluate({}),
      );
      expect(error.reason).toBe('function');
      expect(error.cause).toBeInstanceOf(ConnectorError);
      expect(error.message).toContain(
        '$lookup("payoneer-payee", "1") failed: id-map store unreachable',
      );
    });

    it('times out an evaluation whose function never answers', async () => {
      const silent: MappingFunctions = {
        lookup: () => new Promise<string>(() => undefined),
        fx: async () => '0',
      };
      const error = await evaluationError(
        new MappingEngine(silent, { timeoutMs: 100 })
          .compile('{ "payee": $lookup("payoneer-payee", "1") }', 'o')
          .evaluate({}),
      );
      expect(error.reason).toBe('timeout');
      expect(error.message).toContain('waiting for $lookup("payoneer-payee", "1")');
    });

    it('says which argument is wrong', async () => {
      const error = await evaluationError(
        new MappingEngine(tables).compile('$fx(Amount, 978, "USD")', 'o').evaluate({ Amount: 1 }),
      );
      expect(error.reason).toBe('runtime');
      expect(error.message).toContain('$fx: from must be a string, got number 978');
    });
  });

  describe('synchronous fast path', () => {
    /** $lookup answered in memory (lookupNow) when `known`, else only asynchronously; counts both. */
    function countingFunctions(known: boolean): MappingFunctions & { now: number; later: number } {
      const functions = {
        now: 0,
        later: 0,
        lookupNow: (): string | undefined => {
          functions.now += 1;
          return known ? 'in-memory' : undefined;
        },
        lookup: async (): Promise<string> => {
          functions.later += 1;
          return 'from-the-database';
        },
        fx: async (): Promise<string> => '0',
      };
      return functions;
    }

    it('answers from lookupNow without waiting on lookup', async () => {
      const functions = countingFunctions(true);
      const mapping = new MappingEngine(functions).compile(
        '{ "status": $lookup("status.x", S) }',
        'o',
      );
      await expect(mapping.evaluate({ S: 'a' })).resolves.toEqual({ status: 'in-memory' });
      expect([functions.now, functions.later]).toEqual([1, 0]);
    });

    it('runs the original engine when a value is only available asynchronously, and tries the fast path less and less often', async () => {
      const functions = countingFunctions(false);
      const mapping = new MappingEngine(functions).compile('{ "payee": $lookup("payee", P) }', 'o');
      for (let event = 1; event <= 10; event += 1) {
        await expect(mapping.evaluate({ P: String(event) })).resolves.toEqual({
          payee: 'from-the-database',
        });
      }
      // Tried on events 1, 3 and 7: each miss doubles the number of events that skip it.
      expect([functions.now, functions.later]).toEqual([3, 10]);
    });

    it('can be switched off: every evaluation on the original engine', async () => {
      const functions = countingFunctions(true);
      const mapping = new MappingEngine(functions, {}, { synchronousFastPath: false }).compile(
        '$lookup("status.x", S)',
        'o',
      );
      await expect(mapping.evaluate({ S: 'a' })).resolves.toBe('from-the-database');
      expect([functions.now, functions.later]).toEqual([0, 1]);
    });

    it('reports a runtime error the way the original engine does', async () => {
      const source = '{\n  "total": $number(Amount) + $error("no amount")\n}';
      const fast = await evaluationError(
        new MappingEngine().compile(source, 'o.jsonata').evaluate({}),
      );
      const original = await evaluationError(
        new MappingEngine(undefined, {}, { synchronousFastPath: false })
          .compile(source, 'o.jsonata')
          .evaluate({}),
      );
      expect([fast.message, fast.code, fast.line, fast.column]).toEqual([
        original.message,
        original.code,
        original.line,
        original.column,
      ]);
    });
  });
});
