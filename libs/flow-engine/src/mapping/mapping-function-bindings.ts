import type jsonata from 'jsonata';
import { withinTimeBudget } from './evaluation-guard';
import { type MappingFunctions } from './mapping-functions';
import { MappingFunctionError } from './mapping-errors';
import { AsyncValueNeeded } from './synchronous-jsonata';

/** What a mapping function's implementation threw, tagged so the evaluation reports it as a function failure. */
export class MappingFunctionCallFailure extends Error {
  override readonly name = 'MappingFunctionCallFailure';
  /** JSONata sets these to the call site. */
  position: number | undefined;
  token: unknown;

  constructor(
    readonly call: string,
    readonly failure: unknown,
  ) {
    super(
      failure instanceof MappingFunctionError
        ? failure.message
        : `${call} failed: ${failure instanceof Error ? failure.message : String(failure)}`,
    );
  }

  /** The implementation's own code when it has one. */
  get code(): string {
    const code = (this.failure as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : 'FUNCTION_FAILED';
  }
}

/**
 * Registers $lookup and $fx on a compiled expression, once. Like JSONata's own functions they
 * return nothing for a missing argument (so optional fields stay optional); everything else is
 * checked here so an implementation only ever sees strings.
 */
export function registerMappingFunctions(
  expression: jsonata.Expression,
  functions: MappingFunctions,
  timeoutMs: number,
): void {
  expression.registerFunction(
    'lookup',
    function (this: jsonata.Focus, namespace: unknown, id: unknown) {
      if (id === undefined) return undefined;
      const ns = requireText('$lookup', 'namespace', namespace);
      const key =
        typeof id === 'number' && Number.isFinite(id)
          ? String(id)
          : requireText('$lookup', 'id', id);
      const call = `$lookup(${JSON.stringify(ns)}, ${JSON.stringify(key)})`;
      return callWithinLimits(this, timeoutMs, call, () => functions.lookup(ns, key)).then(
        (value) => {
          if (typeof value !== 'string') throw badResult(call, 'a string', value);
          return value;
        },
      );
    },
  );

  expression.registerFunction(
    'fx',
    function (this: jsonata.Focus, amount: unknown, from: unknown, to: unknown, date: unknown) {
      if (amount === undefined) return undefined;
      if (!(
        typeof amount === 'string' ||
        (typeof amount === 'number' && Number.isFinite(amount))
      )) {
        throw argumentError('$fx', 'amount', 'a decimal string or a number', amount);
      }
      const fromCurrency = requireText('$fx', 'from', from);
      const toCurrency = requireText('$fx', 'to', to);
      const onDate = date === undefined ? undefined : requireText('$fx', 'date', date);
      const call = `$fx(${JSON.stringify(amount)}, ${JSON.stringify(fromCurrency)}, ${JSON.stringify(toCurrency)}${onDate === undefined ? '' : `, ${JSON.stringify(onDate)}`})`;
      return callWithinLimits(this, timeoutMs, call, () =>
        functions.fx(amount, fromCurrency, toCurrency, onDate),
      ).then((value) => {
        if (typeof value !== 'string') throw badResult(call, 'a decimal string', value);
        return value;
      });
    },
  );
}

/**
 * $lookup and $fx for the synchronous fast path: the same argument checks, answered by
 * `lookupNow`/`fxNow`. Whatever those cannot answer (or any argument error) throws
 * AsyncValueNeeded, and the evaluation runs again on the asynchronous engine, which gives the
 * answer or the error exactly as it always has.
 */
export function registerSynchronousMappingFunctions(
  expression: Pick<jsonata.Expression, 'registerFunction'>,
  functions: MappingFunctions,
): void {
  expression.registerFunction('lookup', (namespace: unknown, id: unknown) => {
    if (id === undefined) return undefined;
    if (typeof namespace !== 'string' || functions.lookupNow === undefined)
      throw new AsyncValueNeeded();
    const key = typeof id === 'number' && Number.isFinite(id) ? String(id) : id;
    if (typeof key !== 'string') throw new AsyncValueNeeded();
    return functions.lookupNow(namespace, key) ?? asyncValueNeeded();
  });
  expression.registerFunction(
    'fx',
    (amount: unknown, from: unknown, to: unknown, date: unknown) => {
      if (amount === undefined) return undefined;
      if (
        functions.fxNow === undefined ||
        !(typeof amount === 'string' || (typeof amount === 'number' && Number.isFinite(amount))) ||
        typeof from !== 'string' ||
        typeof to !== 'string' ||
        !(date === undefined || typeof date === 'string')
      ) {
        throw new AsyncValueNeeded();
      }
      return functions.fxNow(amount, from, to, date) ?? asyncValueNeeded();
    },
  );
}

function asyncValueNeeded(): never {
  throw new AsyncValueNeeded();
}

async function callWithinLimits<T>(
  focus: jsonata.Focus,
  timeoutMs: number,
  call: string,
  invoke: () => Promise<T>,
): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = invoke();
  } catch (error) {
    throw new MappingFunctionCallFailure(call, error);
  }
  // Attach the handler first so a late rejection after a timeout is never unhandled.
  const settled = pending.catch((error: unknown) => {
    throw new MappingFunctionCallFailure(call, error);
  });
  return withinTimeBudget(focus, timeoutMs, settled, call);
}

function requireText(fn: string, parameter: string, value: unknown): string {
  if (typeof value !== 'string') throw argumentError(fn, parameter, 'a string', value);
  return value;
}

function argumentError(
  fn: string,
  parameter: string,
  expected: string,
  value: unknown,
): MappingFunctionError {
  return new MappingFunctionError(
    'FUNCTION_ARGUMENT',
    `${fn}: ${parameter} must be ${expected}, got ${describe(value)}`,
  );
}

function badResult(call: string, expected: string, value: unknown): MappingFunctionCallFailure {
  return new MappingFunctionCallFailure(
    call,
    new MappingFunctionError(
      'FUNCTION_RESULT',
      `${call} returned ${describe(value)} instead of ${expected}`,
    ),
  );
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return `a ${typeof value}`;
}
