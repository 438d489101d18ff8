import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';
import type jsonata from 'jsonata';
import { COMPILED_STEP, type JsonataInternals } from './jsonata-internals';

/**
 * JSONata 2.x evaluates every step of an expression as an `async` function, so one evaluation of
 * a realistic order mapping makes hundreds of promises (and, with an AsyncLocalStorage enabled
 * as in the runtime, runs the async hooks for each). Nothing in the language needs that: only a
 * bound function may return a promise. This module builds, once per process, a synchronous
 * variant of the installed jsonata bundle by the same mechanical rewrite as upstream's proposal
 * (jsonata-js/jsonata PR #758, which passes JSONata's own test suite apart from the async-function
 * tests): `async` and `await` dropped, `Promise.all(…)` read as `Array.from(…)`. Where the
 * original awaited a value that is a promise (`isPromise(…)`), the variant throws
 * {@link AsyncValueNeeded} instead, so a caller can run the original engine for that evaluation.
 *
 * Only versions whose bundle was checked against the rewrite are used; for any other the
 * variant is unavailable (see {@link synchronousJsonataUnavailableReason}) and mappings run on
 * the original engine alone.
 */

/** jsonata versions whose bundle this rewrite was checked against (mapping fixtures and synchronous-jsonata.spec.ts). */
export const VERIFIED_JSONATA_VERSIONS: readonly string[] = ['2.2.2'];

/** Thrown by the synchronous variant where the original engine would wait for a promise. */
export class AsyncValueNeeded extends Error {
  override readonly name = 'AsyncValueNeeded';

  constructor() {
    super('the expression needs a value that is only available asynchronously');
  }
}

/** A rewrite of the bundle and how many places it must change in a verified version. */
interface Rewrite {
  name: string;
  pattern: RegExp;
  /** May name the pattern's groups as $1, $2, …. */
  replacement: string;
  /** Places changed in the bundles of VERIFIED_JSONATA_VERSIONS. */
  expected: number;
}

const REWRITES: readonly Rewrite[] = [
  {
    name: 'async functions',
    pattern: /\basync function\b/g,
    replacement: 'function',
    expected: 43,
  },
  { name: 'async arrow functions', pattern: /\basync \(/g, replacement: '(', expected: 3 },
  { name: 'awaits', pattern: /\bawait\s+/g, replacement: '', expected: 105 },
  { name: 'Promise.all', pattern: /\bPromise\.all\(/g, replacement: 'Array.from(', expected: 2 },
  {
    // Every place the original awaited a bound function's result goes through isPromise().
    name: 'isPromise',
    pattern: /function isPromise\(arg\) \{/g,
    replacement:
      'function isPromise(arg) { if (typeof arg === "object" && arg !== null && typeof arg.then === "function") throw new __AsyncValueNeeded();',
    expected: 1,
  },
  {
    // $formatNumber parses and checks its picture on every call (upstream: "TODO cache the result
    // of the analysis"), about a fifth of the reference order mapping. The analysis depends on the
    // picture alone when no options are given; it is kept per picture (bounded), and a picture
    // that fails its checks throws before anything is kept, on every call as before.
    name: '$formatNumber picture analysis',
    pattern:
      /var parts = subPictures\.map\(splitParts\);\s*parts\.forEach\(validate\);\s*var variables = parts\.map\(analyse\);\s*(var minus_sign = [^\n]*\n\s*var zero_digit = [^\n]*\n\s*var decimal_separator = [^\n]*\n\s*var grouping_separator = [^\n]*\n)\s*(if \(variables\.length === 1\) \{[^}]*\})/g,
    replacement: `var variables = typeof options === 'undefined' ? __pictureAnalyses.get(picture) : undefined;
        $1
        if (variables === undefined) {
            var parts = subPictures.map(splitParts);
            parts.forEach(validate);
            variables = parts.map(analyse);
            $2
            if (typeof options === 'undefined') __pictureAnalyses.remember(picture, variables);
        }`,
    expected: 1,
  },
  {
    // Closure compilation (closure-compiler.ts): a node carrying a compiled closure runs it
    // instead of the interpreter's step. Only the closure compiler attaches one, so expressions
    // it was not asked to compile evaluate exactly as before.
    name: 'evaluate dispatch to compiled closures',
    pattern: /function evaluate\(expr, input, environment\) \{\n(\s*)var result;\n/g,
    replacement: `function evaluate(expr, input, environment) {
$1var compiled = expr[__compiledStep];
$1if (compiled !== undefined) {
$1    environment.base.guardrails();
$1    return compiled(input, environment);
$1}
$1return interpret(expr, input, environment);
    }

    function interpret(expr, input, environment) {
$1var result;
`,
    expected: 1,
  },
  {
    // The interpreter's own parts, for the closure compiler to call where it does not specialise.
    name: 'internals for the closure compiler',
    pattern: /\n(\s*)jsonata\.parser = parser;/g,
    replacement: `
$1jsonata.__internals = {
$1    fn: fn, utils: utils, evaluate: evaluate, evaluateFilter: evaluateFilter,
$1    evaluateGroupExpression: evaluateGroupExpression, evaluateLambda: evaluateLambda,
$1    apply: apply, createFrame: createFrame, boolize: boolize,
$1    evaluateNumericExpression: evaluateNumericExpression,
$1    evaluateEqualityExpression: evaluateEqualityExpression,
$1    evaluateComparisonExpression: evaluateComparisonExpression,
$1    evaluateStringConcat: evaluateStringConcat, evaluateRangeExpression: evaluateRangeExpression,
$1    evaluateIncludesExpression: evaluateIncludesExpression
$1};
$1jsonata.parser = parser;`,
    expected: 1,
  },
];

/** Most $formatNumber pictures whose analysis is kept; past it the cache starts over. */
const MAX_KEPT_PICTURES = 256;

/** The analyses of $formatNumber pictures (no options), shared by every expression of the variant. */
class PictureAnalyses {
  private readonly kept = new Map<string, unknown>();

  get(picture: string): unknown {
    return this.kept.get(picture);
  }

  remember(picture: string, analysis: unknown): void {
    if (this.kept.size >= MAX_KEPT_PICTURES) this.kept.clear();
    this.kept.set(picture, analysis);
  }
}

/** A compiled expression of the synchronous variant: `evaluate` returns the result itself. */
export type SynchronousExpression = Omit<jsonata.Expression, 'evaluate'> & {
  evaluate(input: unknown, bindings?: Record<string, unknown>): unknown;
};

type JsonataFactory = (source: string, options?: jsonata.JsonataOptions) => SynchronousExpression;

/** What the variant's bundle is made into: its factory and the interpreter parts the closure compiler calls. */
interface SynchronousVariant {
  factory: JsonataFactory;
  internals: JsonataInternals;
}

let loaded: SynchronousVariant | { unavailable: string } | undefined;

/** The synchronous jsonata factory (its `evaluate` returns the result), or undefined when unavailable. */
export function synchronousJsonata(): JsonataFactory | undefined {
  loaded ??= load();
  return 'factory' in loaded ? loaded.factory : undefined;
}

/** The variant's interpreter parts (closure-compiler.ts), or undefined when the variant is unavailable. */
export function synchronousJsonataInternals(): JsonataInternals | undefined {
  loaded ??= load();
  return 'internals' in loaded ? loaded.internals : undefined;
}

/** Why {@link synchronousJsonata} is unavailable, or undefined when it is available. */
export function synchronousJsonataUnavailableReason(): string | undefined {
  loaded ??= load();
  return 'unavailable' in loaded ? loaded.unavailable : undefined;
}

function load(): SynchronousVariant | { unavailable: string } {
  const bundlePath = require.resolve('jsonata');
  const { version } = JSON.parse(
    readFileSync(join(dirname(bundlePath), 'package.json'), 'utf8'),
  ) as {
    version: string;
  };
  if (!VERIFIED_JSONATA_VERSIONS.includes(version)) {
    return {
      unavailable: `jsonata ${version} is not verified for the synchronous variant (verified: ${VERIFIED_JSONATA_VERSIONS.join(', ')})`,
    };
  }
  let source = readFileSync(bundlePath, 'utf8');
  for (const rewrite of REWRITES) {
    let count = 0;
    source = source.replace(rewrite.pattern, (...match: string[]) => {
      count += 1;
      // $1, $2, …: the pattern's groups, as String.replace would put them.
      return rewrite.replacement.replace(/\$(\d)/g, (_, group: string) => match[Number(group)]!);
    });
    if (count !== rewrite.expected) {
      return {
        unavailable: `jsonata ${version}: the rewrite of ${rewrite.name} changed ${count} places, expected ${rewrite.expected}`,
      };
    }
  }
  const module = { exports: {} as unknown };
  const wrapper = compileFunction(
    source,
    ['module', 'exports', 'require', '__AsyncValueNeeded', '__pictureAnalyses', '__compiledStep'],
    { filename: `${bundlePath} (synchronous variant)` },
  ) as (
    module: object,
    exports: unknown,
    load: NodeRequire,
    asyncValueNeeded: typeof AsyncValueNeeded,
    pictureAnalyses: PictureAnalyses,
    compiledStep: typeof COMPILED_STEP,
  ) => void;
  wrapper(module, module.exports, require, AsyncValueNeeded, new PictureAnalyses(), COMPILED_STEP);
  const factory = module.exports as JsonataFactory & {
    __internals: Omit<JsonataInternals, 'compiledStep'>;
  };
  return { factory, internals: { ...factory.__internals, compiledStep: COMPILED_STEP } };
}
