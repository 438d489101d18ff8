import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import jsonata from 'jsonata';
import { readMappingFixtureFile } from './mapping-fixture-file';
import { MappingEngine } from './mapping-engine';
import { TableMappingFunctions } from './table-mapping-functions';
import { UNCONFIGURED_MAPPING_FUNCTIONS } from './unconfigured-mapping-functions';
import {
  AsyncValueNeeded,
  synchronousJsonata,
  synchronousJsonataUnavailableReason,
} from './synchronous-jsonata';

const MAPPINGS_DIR = resolve(__dirname, '../../../../mappings');

/** The shipped mapping test files: every case must come out the same on both engines. */
function shippedFixtureFiles(): string[] {
  return readdirSync(MAPPINGS_DIR, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.test.yaml'))
    .map((path) => join(MAPPINGS_DIR, path))
    .sort();
}

/** Language features beyond the shipped mappings, each evaluated on both engines. */
const LANGUAGE_CASES: Array<[string, string, unknown]> = [
  [
    'path with predicate and index',
    'orders[status = "open"][0].id',
    {
      orders: [
        { id: 1, status: 'x' },
        { id: 2, status: 'open' },
      ],
    },
  ],
  [
    'group by with aggregation',
    'items{ sku: $sum(qty) }',
    {
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 2 },
        { sku: 'a', qty: 3 },
      ],
    },
  ],
  [
    'sort with a comparator',
    '$sort(items, function($l, $r) { $l.qty < $r.qty })',
    { items: [{ qty: 1 }, { qty: 3 }, { qty: 2 }] },
  ],
  ['order-by operator', 'items^(>qty).qty', { items: [{ qty: 1 }, { qty: 3 }, { qty: 2 }] }],
  [
    'map, filter, reduce with lambdas',
    '$reduce($filter($map(n, function($v) { $v * 2 }), function($v) { $v > 2 }), function($a, $b) { $a + $b })',
    { n: [1, 2, 3] },
  ],
  [
    'regex match and replace',
    '{ "m": $match(s, /b(\\d)/).groups, "r": $replace(s, /\\d/, "#") }',
    { s: 'a1 b2 b3' },
  ],
  ['split and join', '$join($split(s, ","), "|")', { s: 'a,b,c' }],
  [
    'each and sift',
    '{ "e": $each(o, function($v, $k) { $k & "=" & $v }), "s": $sift(o, function($v) { $v > 1 }) }',
    { o: { a: 1, b: 2 } },
  ],
  [
    'transform operator',
    '$ ~> | items | { "seen": true }, ["qty"] |',
    { items: [{ qty: 1, sku: 'a' }] },
  ],
  [
    'positional and tuple bindings',
    'items#$i.{ "at": $i, "sku": sku }',
    { items: [{ sku: 'a' }, { sku: 'b' }] },
  ],
  [
    'context binding join',
    'orders@$o.lines[order = $o.id].{ "o": $o.id, "l": sku }',
    {
      orders: [
        {
          id: 1,
          lines: [
            { order: 1, sku: 'x' },
            { order: 2, sku: 'y' },
          ],
        },
      ],
    },
  ],
  ['recursion', '($f := function($n) { $n <= 1 ? 1 : $n * $f($n - 1) }; $f(10))', {}],
  [
    'eval and string functions',
    '$eval("1 + 2") & $uppercase($substring(s, 0, 2)) & $formatNumber(1234.5, "#,##0.00")',
    { s: 'abc' },
  ],
  [
    'single and zip',
    '{ "one": $single(n, function($v) { $v = 2 }), "z": $zip(n, n) }',
    { n: [1, 2, 3] },
  ],
  [
    // The variant keeps each picture's analysis: the same picture again, for either sign, must
    // format as the first time; pictures with options are analysed every time.
    'formatNumber pictures, repeated, signed and with options',
    `[n.(
      $formatNumber($, "#,##0.00##") & "|" & $formatNumber($, "#,##0.00##") & "|" &
      $formatNumber($, "0.0e0") & "|" & $formatNumber($, "#0%") & "|" & $formatNumber($, "#;(#)") & "|" &
      $formatNumber($, "#.###,00", { "decimal-separator": ",", "grouping-separator": "." }) & "|" &
      $formatNumber($, "#,##0.00", { "minus-sign": "~" })
    )]`,
    { n: [1234.5, -1234.5, 0, 0.125, -0.004, 98765432.1] },
  ],
  [
    'a picture that fails its checks, asked twice',
    '[$formatNumber(1, "#.#.#"), $formatNumber(1, "#.#.#")]',
    {},
  ],
  ['a runtime error', '$number("x") + undefinedThing.y + $error("boom")', {}],
  ['a type error', '"a" + 1', {}],
];

describe('synchronousJsonata', () => {
  it('is available for the installed jsonata (on an upgrade: check the rewrite and list the version as verified)', () => {
    expect(synchronousJsonataUnavailableReason()).toBeUndefined();
    expect(synchronousJsonata()).toBeDefined();
  });

  it('returns the result itself, not a promise', () => {
    const expression = synchronousJsonata()!('$sum(n)');
    expect(expression.evaluate({ n: [1, 2, 3] })).toBe(6);
  });

  it('throws AsyncValueNeeded where a bound function answers with a promise', () => {
    const expression = synchronousJsonata()!('{ "a": 1, "b": $later(n) }');
    expression.registerFunction('later', (n: number) => Promise.resolve(n));
    expect(() => expression.evaluate({ n: 1 })).toThrow(AsyncValueNeeded);
  });

  it.each(LANGUAGE_CASES)(
    'evaluates %s as the original engine does',
    async (_name, source, input) => {
      const original = await outcome(() => jsonata(source).evaluate(input));
      const synchronous = await outcome(async () => synchronousJsonata()!(source).evaluate(input));
      expect(synchronous).toEqual(original);
    },
  );

  it.each(shippedFixtureFiles())(
    'gives the same result as the original engine for every case of %s',
    async (file) => {
      const fixture = readMappingFixtureFile(file);
      const functions =
        fixture.tables === undefined
          ? UNCONFIGURED_MAPPING_FUNCTIONS
          : new TableMappingFunctions(fixture.tables);
      const fast = new MappingEngine(functions).compileFile(fixture.mappingPath);
      const original = new MappingEngine(functions, {}, { synchronousFastPath: false }).compileFile(
        fixture.mappingPath,
      );
      for (const fixtureCase of fixture.cases) {
        const expected = await outcome(() =>
          original.evaluate(fixtureCase.input, fixtureCase.bindings),
        );
        const received = await outcome(() =>
          fast.evaluate(fixtureCase.input, fixtureCase.bindings),
        );
        expect({ case: fixtureCase.name, ...received }).toEqual({
          case: fixtureCase.name,
          ...expected,
        });
      }
    },
  );
});

async function outcome(
  run: () => Promise<unknown>,
): Promise<{ result?: unknown; error?: unknown }> {
  try {
    return { result: JSON.parse(JSON.stringify((await run()) ?? null)) as unknown };
  } catch (error) {
    const details = error as { code?: unknown; message?: unknown; position?: unknown };
    return { error: { code: details.code, message: details.message, position: details.position } };
  }
}
