/**
 * JSONata benchmark: evaluations per second of the reference Clarity order mapping as the runtime
 * runs it (compiled once by MappingEngine), raw JSONata without the engine's wrapper, compiling on
 * every event (what the hot path must never do), and the same mapping hand-written in JavaScript.
 *
 *   npm run bench:jsonata -- [--seconds 2] [--max 200000] [--async-context] [--record] [--json out.json]
 *
 * --async-context enables an AsyncLocalStorage first, as the runtime's request-scoped logger did
 * until 2026-11-25 (finding 23): every promise then runs the async hooks, which is what
 * promise-heavy evaluation costs in a process that has one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isDeepStrictEqual } from 'node:util';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  MappingEngine,
  TableMappingFunctions,
  type CompiledMapping,
} from '@switchboard/flow-engine';
import jsonata from 'jsonata';
import { parse } from 'yaml';
import { appendResults, markdownTable, numberOption, parseArgs } from './lib/bench-report';
import { clarityOrder } from './lib/clarity-order';
import { clarityOrderToCanonical } from './lib/clarity-order-to-canonical';

/** Throughput of one way of running the mapping. */
export interface VariantResult {
  variant: string;
  evaluations: number;
  perSecond: number;
  /** Microseconds per evaluation. */
  micros: number;
}

const ORDERS = Array.from({ length: 64 }, (_, index) => clarityOrder(10_000 + index));

type Run = (order: Record<string, unknown>) => unknown;

/**
 * Times the variants in interleaved slices of 100 ms until each had `seconds` (or `max` runs), so a
 * change in the shared machine's load hits every variant alike instead of the one that ran then.
 */
async function measure(
  variants: Array<{ name: string; max: number; run: Run }>,
  seconds: number,
): Promise<VariantResult[]> {
  const totals = variants.map(() => ({ evaluations: 0, ms: 0 }));
  // Warm-up so the JIT has compiled each path before it is timed.
  for (const variant of variants)
    for (let i = 0; i < 500; i += 1) await variant.run(ORDERS[i % ORDERS.length]!);
  for (let round = 0; round < seconds * 10; round += 1) {
    for (const [index, variant] of variants.entries()) {
      const total = totals[index]!;
      const started = performance.now();
      const deadline = started + 100;
      let evaluations = 0;
      while (
        total.evaluations + evaluations < variant.max &&
        (evaluations % 16 !== 0 || performance.now() < deadline)
      ) {
        await variant.run(ORDERS[(total.evaluations + evaluations) % ORDERS.length]!);
        evaluations += 1;
      }
      total.evaluations += evaluations;
      total.ms += performance.now() - started;
    }
  }
  return variants.map((variant, index) => {
    const { evaluations, ms } = totals[index]!;
    return {
      variant: variant.name,
      evaluations,
      perSecond: Math.round(evaluations / (ms / 1000)),
      micros: Math.round((ms / evaluations) * 10_000) / 10,
    };
  });
}

/** Runs every variant for `seconds` (at most `max` evaluations each), after checking they agree. */
export async function benchJsonata(options: {
  root: string;
  seconds: number;
  max: number;
}): Promise<VariantResult[]> {
  const file = join(options.root, 'mappings/clarity-to-canonical/order.jsonata');
  // $lookup("status.clarity.order", …) answered from statuses.yaml, as the runtime's status table does.
  const statusFile = join(options.root, 'mappings/statuses.yaml');
  const statusTables = existsSync(statusFile)
    ? (parse(readFileSync(statusFile, 'utf8')) as Record<string, Record<string, string>>)
    : {};
  const statuses = new Map(Object.entries(statusTables['clarity.order'] ?? {}));
  const lookups = Object.fromEntries(
    Object.entries(statusTables).map(([name, table]) => [`status.${name}`, table]),
  );
  const mapping: CompiledMapping = new MappingEngine(
    new TableMappingFunctions({ lookups }),
  ).compileFile(file);
  // Revisions before the synchronous fast path ignore the third argument: both rows then measure the same.
  const asyncOnly: CompiledMapping = new MappingEngine(
    new TableMappingFunctions({ lookups }),
    {},
    { synchronousFastPath: false },
  ).compileFile(file);
  // Revisions before the closure compiler ignore the option: the row then measures the runtime path.
  const interpreted: CompiledMapping = new MappingEngine(
    new TableMappingFunctions({ lookups }),
    {},
    { compiledClosures: false },
  ).compileFile(file);
  const source = readFileSync(file, 'utf8');
  const raw = jsonata(source);
  // Raw JSONata gets the same $lookup, without the engine's guard, limits and output clean-up.
  raw.registerFunction('lookup', (namespace: string, id: string) => lookups[namespace]?.[id]);
  for (const order of ORDERS) {
    const actual = await mapping.evaluate(order);
    const expected = (() => {
      try {
        return clarityOrderToCanonical(order, statuses);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    if (!isDeepStrictEqual(actual, expected)) {
      process.stderr.write(
        `warning: the hand-written JavaScript disagrees with ${file} for order ${String(order.ID)} (the mapping changed?); ` +
          `its ratio compares different work:\n  jsonata ${JSON.stringify(actual)}\n  js      ${JSON.stringify(expected)}\n`,
      );
      break;
    }
  }
  const bindings = {
    event: { id: 'evt-1', key: '1', headers: {}, receivedAt: '2026-11-24T18:30:00Z' },
    flow: { id: 'bench', version: 1 },
  };
  const { max } = options;
  return measure(
    [
      {
        name: 'hand-written JavaScript',
        max,
        run: (order) => clarityOrderToCanonical(order, statuses),
      },
      { name: 'JSONata, raw expression', max, run: (order) => raw.evaluate(order, bindings) },
      {
        name: 'JSONata, MappingEngine (runtime path)',
        max,
        run: (order) => mapping.evaluate(order, bindings),
      },
      {
        name: 'JSONata, MappingEngine interpreted (no closures)',
        max,
        run: (order) => interpreted.evaluate(order, bindings),
      },
      {
        name: 'JSONata, MappingEngine on the async engine only',
        max,
        run: (order) => asyncOnly.evaluate(order, bindings),
      },
      {
        name: 'JSONata, compiled per event (anti-pattern)',
        max,
        run: (order) => {
          const expression = jsonata(source);
          expression.registerFunction(
            'lookup',
            (namespace: string, id: string) => lookups[namespace]?.[id],
          );
          return expression.evaluate(order, bindings);
        },
      },
    ],
    options.seconds,
  );
}

/** The results as a Markdown table with each variant's ratio to hand-written JavaScript. */
export function jsonataTable(results: VariantResult[]): string {
  const baseline = results[0]!.perSecond;
  return markdownTable(
    ['variant', 'evaluations', 'per second', 'µs each', 'vs hand-written JS'],
    results.map((r) => [
      r.variant,
      r.evaluations,
      r.perSecond,
      r.micros,
      r.perSecond === baseline
        ? 'baseline'
        : `${Math.round((baseline / r.perSecond) * 10) / 10}× slower`,
    ]),
  );
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.has('async-context')) new AsyncLocalStorage().enterWith({ request: 'bench' });
  const results = await benchJsonata({
    root: resolve(options.get('root') ?? process.cwd()),
    seconds: numberOption(options, 'seconds', 2),
    max: numberOption(options, 'max', 200_000),
  });
  const table = jsonataTable(results);
  process.stdout.write(`${table}\n`);
  const json = options.get('json');
  if (json !== undefined) writeFileSync(json, JSON.stringify(results, null, 2));
  if (options.has('record'))
    appendResults(
      'JSONata: reference Clarity order mapping',
      `npm run bench:jsonata -- ${process.argv.slice(2).join(' ')}`,
      table,
    );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
