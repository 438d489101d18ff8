import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { compileToClosures } from './closure-compiler';
import {
  EVALUATION_GUARD_BINDING,
  EvaluationGuard,
  EvaluationLimitExceeded,
  guardOf,
  installEvaluationGuard,
} from './evaluation-guard';
import { type AstNode } from './jsonata-internals';
import { registerSynchronousMappingFunctions } from './mapping-function-bindings';
import { MappingEngine } from './mapping-engine';
import { type MappingFunctions } from './mapping-functions';
import { toPlainJson } from './plain-json';
import {
  AsyncValueNeeded,
  synchronousJsonata,
  synchronousJsonataInternals,
  type SynchronousExpression,
} from './synchronous-jsonata';
import { LANGUAGE_CASES } from './testing/jsonata-language-cases';
import {
  MAPPINGS_DIR,
  shippedFixture,
  shippedFixtureFiles,
} from './testing/shipped-mapping-fixtures';
import { UNCONFIGURED_MAPPING_FUNCTIONS } from './unconfigured-mapping-functions';

function synchronous(source: string): SynchronousExpression {
  return synchronousJsonata()!(source, { timeout: 5000 });
}

function compiled(source: string): SynchronousExpression {
  const expression = synchronous(source);
  compileToClosures(expression.ast() as AstNode, synchronousJsonataInternals()!);
  return expression;
}

interface Outcome {
  result?: unknown;
  error?: { code?: unknown; message?: unknown; position?: unknown };
}

function outcomeOf(run: () => unknown): Outcome {
  try {
    return { result: toPlainJson(run()) };
  } catch (error) {
    return { error: errorOf(error) };
  }
}

async function asyncOutcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { result: toPlainJson(await run()) };
  } catch (error) {
    return { error: errorOf(error) };
  }
}

function errorOf(error: unknown): Outcome['error'] {
  if (error instanceof AsyncValueNeeded) return { code: 'AsyncValueNeeded' };
  const details = error as { code?: unknown; message?: unknown; position?: unknown };
  return { code: details.code, message: details.message, position: details.position };
}

/**
 * Results exactly; errors by code. Where a compiled closure fails, the runtime runs the original
 * engine for that evaluation, so an error's position and wording come from there (checked
 * through MappingEngine below), not from the closure.
 */
function comparable(outcome: Outcome): Outcome {
  return outcome.error === undefined ? outcome : { error: { code: outcome.error.code } };
}

describe('compileToClosures', () => {
  it.each(LANGUAGE_CASES)(
    'evaluates %s as the interpreter and the original engine do',
    async (_name, source, input) => {
      const interpreted = outcomeOf(() => synchronous(source).evaluate(input));
      const original = await asyncOutcomeOf(() => jsonata(source).evaluate(input));
      const received = outcomeOf(() => compiled(source).evaluate(input));
      expect(comparable(received)).toStrictEqual(comparable(interpreted));
      expect(comparable(received)).toEqual(comparable(original));
    },
  );

  it('compiles every node of the reference order mapping', () => {
    const source = readFileSync(join(MAPPINGS_DIR, 'clarity-to-canonical/order.jsonata'), 'utf8');
    const compilation = compileToClosures(
      synchronous(source).ast() as AstNode,
      synchronousJsonataInternals()!,
    );
    expect(compilation.interpreted).toBe(0);
    expect(compilation.compiled).toBeGreaterThan(150);
  });

  it('leaves what it does not know to the interpreter and compiles the nodes below', () => {
    const compilation = compileToClosures(
      synchronous('o.**.{ "v": v + 1 }').ast() as AstNode,
      synchronousJsonataInternals()!,
    );
    expect(compilation.interpreted).toBeGreaterThan(0);
    expect(compilation.compiled).toBeGreaterThan(0);
  });

  it('keeps the time limit where an evaluation runs away without recursion', async () => {
    const mapping = new MappingEngine(UNCONFIGURED_MAPPING_FUNCTIONS, {
      timeoutMs: 50,
    }).compile('[1..100000].([1..100000].($ + 1))', 'runaway.jsonata');
    await expect(mapping.evaluate({})).rejects.toMatchObject({ code: 'MAPPING_TIMEOUT' });
  });

  describe('with the recursion guard', () => {
    const source = '($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(depth))';

    /** The deepest recursion `maxDepth` lets through, found by trying each depth. */
    function deepestAllowed(expression: SynchronousExpression, maxDepth: number): number {
      let deepest = -1;
      for (let depth = 0; depth <= maxDepth + 2; depth += 1) {
        const guard = new EvaluationGuard(maxDepth);
        try {
          expression.evaluate({ depth }, { [EVALUATION_GUARD_BINDING]: guard });
          deepest = depth;
        } catch (error) {
          expect(error).toBeInstanceOf(EvaluationLimitExceeded);
          break;
        }
      }
      return deepest;
    }

    it('counts calls in flight exactly as the interpreter with its hooks does', () => {
      const interpreted = synchronous(source);
      installEvaluationGuard(interpreted);
      const guardedCompiled = synchronous(source);
      const bodies = installEvaluationGuard(guardedCompiled);
      const compilation = compileToClosures(
        guardedCompiled.ast() as AstNode,
        synchronousJsonataInternals()!,
        {
          bodies,
          enter: (node, environment) => guardOf(environment)?.enter(node as never, true),
          exit: (environment) => guardOf(environment)?.exit(true),
        },
      );
      expect(bodies.size).toBe(1);
      expect(compilation.interpreted).toBe(0);
      for (const maxDepth of [5, 20]) {
        expect(deepestAllowed(guardedCompiled, maxDepth)).toBe(
          deepestAllowed(interpreted, maxDepth),
        );
      }
      expect(deepestAllowed(guardedCompiled, 20)).toBe(19);
    });
  });

  it.each(shippedFixtureFiles())(
    'maps every case of %s, and every one-field change of its inputs, as the interpreter and the original engine do',
    async (file) => {
      const { fixture, functions } = shippedFixture(file);
      const source = readFileSync(fixture.mappingPath, 'utf8');
      const engines = enginesFor(source, functions);
      let compared = 0;
      for (const fixtureCase of fixture.cases) {
        for (const input of [fixtureCase.input, ...oneFieldChanges(fixtureCase.input)]) {
          const bindings = fixtureCase.bindings;
          const interpreted = outcomeOf(() => engines.interpreted.evaluate(input, bindings));
          const received = outcomeOf(() => engines.compiled.evaluate(input, bindings));
          expect({ input, ...comparable(received) }).toStrictEqual({
            input,
            ...comparable(interpreted),
          });
          // What the runtime reports, errors included: a failed fast path runs the original engine.
          const reported = await asyncOutcomeOf(() => engines.mapping.evaluate(input, bindings));
          const original = await asyncOutcomeOf(() =>
            engines.originalMapping.evaluate(input, bindings),
          );
          expect({ input, ...reported }).toStrictEqual({ input, ...original });
          compared += 1;
        }
      }
      expect(compared).toBeGreaterThan(fixture.cases.length);
    },
  );
});

function enginesFor(source: string, functions: MappingFunctions) {
  const interpreted = synchronous(source);
  registerSynchronousMappingFunctions(interpreted, functions);
  const compiledExpression = compiled(source);
  registerSynchronousMappingFunctions(compiledExpression, functions);
  return {
    interpreted,
    compiled: compiledExpression,
    mapping: new MappingEngine(functions).compile(source, 'mapping.jsonata'),
    originalMapping: new MappingEngine(functions, {}, { synchronousFastPath: false }).compile(
      source,
      'mapping.jsonata',
    ),
  };
}

/** Most places of one input that get changed (spread over the whole document). */
const MAX_CHANGED_PLACES = 30;

/**
 * The input with one value changed at a time: removed, null, a number, a numeric string, an
 * empty string, an empty array, wrapped in an array, an empty object. Sequences, singletons and
 * missing values are where JSONata's rules are subtle; changing one field at a time walks a
 * mapping through them.
 */
function oneFieldChanges(input: unknown): unknown[] {
  const places = placesOf(input);
  const step = Math.max(1, Math.ceil(places.length / MAX_CHANGED_PLACES));
  const changes: unknown[] = [];
  for (let index = 0; index < places.length; index += step) {
    const path = places[index]!;
    const current = valueAt(input, path);
    const replacements: unknown[] = [null, 12.345, '7.5', '', [], [current], {}];
    changes.push(changedAt(input, path, REMOVE));
    for (const replacement of replacements) changes.push(changedAt(input, path, replacement));
  }
  return changes;
}

const REMOVE = Symbol('remove');

type Path = Array<string | number>;

function placesOf(value: unknown, path: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return path.length === 0 ? [] : [path];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [index, item] as const)
    : Object.entries(value);
  const below = entries.flatMap(([key, item]) => placesOf(item, [...path, key]));
  return path.length === 0 ? below : [path, ...below];
}

function valueAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)[key], value);
}

function changedAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [key, ...rest] = path;
  if (Array.isArray(value)) {
    const copy: unknown[] = value.slice();
    if (rest.length === 0 && replacement === REMOVE) copy.splice(key as number, 1);
    else copy[key as number] = changedAt(value[key as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === REMOVE) delete copy[key as string];
  else copy[key as string] = changedAt(copy[key as string], rest, replacement);
  return copy;
}
