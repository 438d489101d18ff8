/** Language features beyond the shipped mappings: [name, expression, input], each evaluated on every engine. */
export const LANGUAGE_CASES: Array<[string, string, unknown]> = [
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
  // Beyond the cases above, what the closure compiler specialises (closure-compiler.ts), with
  // the sequence rules around each: singletons, `[]`, nested arrays, empty results.
  [
    'singleton and kept arrays',
    '{ "one": a.b, "kept": a.b[], "none": a.zz, "all": c.b }',
    { a: { b: 1 }, c: [{ b: 1 }, { b: [2, 3] }] },
  ],
  [
    'nested array constructors',
    '{ "n": [[1, 2], [3]], "f": [1, [2, 3], a], "e": [], "u": [zz] }',
    { a: [4, 5] },
  ],
  ['array constructor as the first step', '[1, 2, 3].($ * 2)', {}],
  ['paths over arrays of arrays', 'm.x', { m: [{ x: [1, [2, 3]] }, { x: [[4]] }, { y: 1 }] }],
  ['a path to an array in the last step', 'a.list', { a: { list: [1, 2] } }],
  ['context and root', '{ "c": $.a, "r": $$.b, "s": a.($$.b) }', { a: 1, b: 2 }],
  ['an array as the whole input', '$.{ "x": x }', [{ x: 1 }, { x: 2 }]],
  ['a singleton array as the whole input', '{ "first": $[0], "n": $count($) }', [{ x: 1 }]],
  [
    'object constructor keys: integer-like, computed, duplicate values',
    '{ "b": 1, "2": 2, "a": x, "1": 3, ("c" & "d"): 4 }',
    { x: 5 },
  ],
  [
    'object constructor over a sequence groups by key',
    'items.{ "k": k }',
    { items: [{ k: 1 }, { k: 2 }] },
  ],
  [
    'object constructor applied to a variable holding an array',
    '($i := items; $i.{ "k": k })',
    { items: [{ k: 1 }, { k: 2 }] },
  ],
  [
    'grouping on an array variable',
    '($i := items; $i{ sku: qty })',
    {
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'a', qty: 2 },
      ],
    },
  ],
  ['duplicate literal keys are an error', '{ "a": 1, "a": 2 }', {}],
  ['a computed key that is not a string', '{ k: 1 }', { k: 5 }],
  [
    'arithmetic, comparison, concatenation, membership, range',
    '[1 + 2 * 3 - 4 / 2 % 3, 1 < 2, 2 <= 1, "a" & 1 & null, 2 in [1, 2], [1..4], -a]',
    { a: 3 },
  ],
  [
    'and / or over sequences and undefined',
    '[a and b, a or zz, zz and a, zz or zz, [] and 1, {} or 0]',
    { a: [0, 1], b: 'x' },
  ],
  [
    'equality of different types',
    '[1 = "1", null = null, a = a, zz = zz, zz != 1]',
    { a: { b: 1 } },
  ],
  [
    'conditions with and without else',
    '[a ? "y" : "n", zz ? "y", zz ? "y" : "n", [] ? 1 : 2]',
    { a: 1 },
  ],
  ['block scope and rebinding', '($x := 1; $y := ($x := 2; $x); [$x, $y])', {}],
  [
    'closures capture their frame',
    '($add := function($a) { function($b) { $a + $b } }; $add(2)(3))',
    {},
  ],
  [
    'a lambda with a signature',
    '($f := function($s, $n)<sn?:s> { $s & $string($n) }; [$f("a", 1), $f("b")])',
    {},
  ],
  [
    'higher-order builtins get compiled lambdas',
    '{ "m": $map(n, function($v, $i) { $v * $i }), "f": $filter(n, function($v) { $v > 1 }), "s": $sum(n.($ * 2)) }',
    { n: [1, 2, 3] },
  ],
  [
    'tail calls',
    '($loop := function($n, $acc) { $n = 0 ? $acc : $loop($n - 1, $acc + $n) }; $loop(100, 0))',
    {},
  ],
  [
    'partial application and chaining',
    '($add := function($a, $b) { $a + $b }; $inc := $add(?, 1); [$inc(1), 5 ~> $inc, "a b" ~> $split(" ") ~> $count])',
    {},
  ],
  [
    'predicates on a variable, on a function result and on a path step',
    '($v := [1, 2, 3]; [$v[1], $append($v, 4)[-1], items[qty > 1].sku, items[0]])',
    {
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 2 },
      ],
    },
  ],
  [
    'wildcard, descendants and parent',
    '{ "w": o.*, "d": $sort(o.**.v), "p": o.i.%.name }',
    { o: { name: 'n', i: { v: 1 }, j: { k: { v: 2 } } } },
  ],
  ['a function forgotten its $', 'uppercase("a")', { uppercase: 1 }],
  ['a negated string', '-a', { a: 'x' }],
  ['calling something that is not a function', '$x := 1; $x()', {}],
  [
    'exists, type, string and count on missing values',
    '[$exists(zz), $type(zz), $string(zz), $count(zz), $type(null), $type([])]',
    {},
  ],
];
