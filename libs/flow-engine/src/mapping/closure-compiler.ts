import {
  type AstNode,
  type CompiledStep,
  type Frame,
  type JsonataInternals,
  type Sequence,
} from './jsonata-internals';

/**
 * Compiles a JSONata expression of the synchronous variant into JavaScript closures, one per
 * node, so an evaluation no longer goes through the interpreter's `evaluate` for every step:
 * its switch on the node type, its checks for predicates and grouping, its two lookups of the
 * evaluate hooks through every enclosing frame and its clock read. Each closure does what the
 * interpreter does for that kind of node, child by child, and calls the interpreter's own
 * functions for everything beyond the dispatch (function application and argument checks,
 * operators, filters, grouping, lambdas), so results stay the interpreter's.
 *
 * Compilation is partial by design: a node the compiler does not know (regex, wildcard,
 * descendants, parent, sort, transform, partial application, `~>`, tuple-stream paths with
 * `@`/`#` bindings) keeps no closure and is interpreted as before, while its children are
 * still compiled; the variant's `evaluate` runs a node's closure where it has one, so the two
 * meet wherever the interpreter evaluates a child. Errors need no fidelity here: any error on
 * the fast path sends that evaluation to the original engine (jsonata-mapping.ts), which
 * reports it as it always has.
 *
 * Closures do not run JSONata's evaluate hooks. The only hooks the mapping engine installs are
 * its recursion guard's, which count the bodies of functions that may recurse; with
 * `recursionGuard` those bodies' closures do the counting themselves.
 *
 * The clock (`timeout`) is read where unbounded work can start: whenever the interpreter enters
 * a compiled node (every lambda body does, so every call of a lambda and every recursion), and on
 * every path step (nested paths over ranges need no recursion). Built-in functions end by
 * themselves.
 */
export function compileToClosures(
  root: AstNode,
  internals: JsonataInternals,
  recursionGuard?: RecursionGuard,
): ClosureCompilation {
  const compiler = new ClosureCompiler(internals, recursionGuard);
  compiler.stepOf(root);
  return { compiled: compiler.compiled, interpreted: compiler.interpreted };
}

/**
 * What the evaluation guard's hooks (evaluation-guard.ts) do for the function bodies they count,
 * done by those bodies' closures instead: the hooks run only for interpreted nodes.
 */
export interface RecursionGuard {
  bodies: ReadonlySet<unknown>;
  enter(node: AstNode, environment: Frame): void;
  exit(environment: Frame): void;
}

/** How many nodes of an expression got a closure, and how many are left to the interpreter. */
export interface ClosureCompilation {
  compiled: number;
  interpreted: number;
}

const hasOwn = (value: object, key: PropertyKey): boolean =>
  Object.prototype.hasOwnProperty.call(value, key);

function isSequence(value: unknown): value is Sequence {
  return Array.isArray(value) && (value as Sequence).sequence === true;
}

/** The interpreter's last act on every node's result: sequences of none or one collapse. */
function collapse(result: unknown, keepArray: boolean): unknown {
  if (!result || !isSequence(result) || result.tupleStream) return result;
  if (keepArray) result.keepSingleton = true;
  if (result.length === 0) return undefined;
  if (result.length === 1) return result.keepSingleton ? result : result[0];
  return result;
}

/** Pushes each element that `source` holds (forEach's view: holes skipped). */
function pushEach(target: Sequence, source: unknown[]): void {
  for (let index = 0; index < source.length; index += 1)
    if (index in source) target.push(source[index]);
}

/** Object keys JSONata refuses to set (its functions are objects marked by them). */
const RESERVED_KEYS = new Set(['_jsonata_lambda', '_jsonata_function']);

/** Properties that make a path step something only the interpreter's tuple streams handle. */
const TUPLE_PROPERTIES = ['tuple', 'focus', 'index', 'ancestor'] as const;

class ClosureCompiler {
  compiled = 0;
  interpreted = 0;
  private readonly steps = new Map<AstNode, CompiledStep>();

  constructor(
    private readonly internals: JsonataInternals,
    private readonly recursionGuard?: RecursionGuard,
  ) {}

  /**
   * What evaluating `node` does: its compiled closure, or a call into the interpreter for a node
   * the compiler leaves to it (its children compiled all the same).
   */
  stepOf(node: AstNode): CompiledStep {
    const known = this.steps.get(node);
    if (known !== undefined) return known;
    const closure = this.compile(node);
    if (closure !== undefined) {
      this.compiled += 1;
      node[this.internals.compiledStep] = closure;
      this.steps.set(node, closure);
      return closure;
    }
    this.interpreted += 1;
    const { evaluate } = this.internals;
    const interpreted: CompiledStep = (input, environment) => evaluate(node, input, environment);
    this.steps.set(node, interpreted);
    this.compileChildren(node);
    return interpreted;
  }

  /** Compiles what hangs below a node left to the interpreter, wherever it sits in the node. */
  private compileChildren(node: AstNode): void {
    const seen = new WeakSet<object>();
    const visit = (value: unknown): void => {
      if (typeof value !== 'object' || value === null || seen.has(value)) return;
      seen.add(value);
      if (Array.isArray(value)) value.forEach(visit);
      else if (isNode(value)) this.stepOf(value);
      // Predicate and stage entries ({ type: 'filter', expr }), group clauses ({ lhs: [[k, v]] }).
      else Object.values(value).forEach(visit);
    };
    for (const [key, value] of Object.entries(node)) if (key !== 'value') visit(value);
  }

  private compile(node: AstNode): CompiledStep | undefined {
    const core = this.compileCore(node);
    if (core === undefined) return undefined;
    const step = this.withPostProcessing(node, core);
    const guard = this.recursionGuard;
    if (step === undefined || guard === undefined || !guard.bodies.has(node)) return step;
    // A body the guard counts: one more call in flight while it runs (its depth limit).
    return (input, environment) => {
      guard.enter(node, environment);
      try {
        return step(input, environment);
      } finally {
        guard.exit(environment);
      }
    };
  }

  /** Predicates, grouping (outside paths) and the sequence collapse, as `evaluate` applies them. */
  private withPostProcessing(node: AstNode, core: CompiledStep): CompiledStep | undefined {
    const keepArray = node.keepArray === true;
    const predicates = hasOwn(node, 'predicate') ? filterExpressions(node.predicate) : [];
    if (predicates === undefined) return undefined;
    const group =
      node.type !== 'path' && hasOwn(node, 'group') ? (node.group as AstNode) : undefined;
    if (predicates.length === 0 && group === undefined) {
      if (LITERALS.has(node.type)) return core;
      return (input, environment) => collapse(core(input, environment), keepArray);
    }
    predicates.forEach((predicate) => this.stepOf(predicate));
    if (group !== undefined) this.compileChildren(group);
    const { evaluateFilter, evaluateGroupExpression } = this.internals;
    return (input, environment) => {
      let result = core(input, environment);
      for (const predicate of predicates) result = evaluateFilter(predicate, result, environment);
      if (group !== undefined) result = evaluateGroupExpression(group, result, environment);
      return collapse(result, keepArray);
    };
  }

  private compileCore(node: AstNode): CompiledStep | undefined {
    switch (node.type) {
      case 'string':
      case 'number':
      case 'value': {
        const value = node.value;
        return () => value;
      }
      case 'variable':
        return this.variable(node);
      case 'name':
        return this.name(node);
      case 'path':
        return this.path(node);
      case 'binary':
        return this.binary(node);
      case 'unary':
        return this.unary(node);
      case 'condition':
        return this.condition(node);
      case 'block':
        return this.block(node);
      case 'bind':
        return this.bind(node);
      case 'function':
        return this.functionCall(node);
      case 'lambda': {
        const { evaluateLambda } = this.internals;
        this.stepOf(node.body as AstNode);
        return (input, environment) => evaluateLambda(node, input, environment);
      }
      default:
        return undefined;
    }
  }

  private variable(node: AstNode): CompiledStep {
    const name = node.value as string;
    if (name === '')
      return (input) =>
        (input as Sequence | undefined)?.outerWrapper ? (input as Sequence)[0] : input;
    return (_input, environment) => environment.lookup(name);
  }

  private name(node: AstNode): CompiledStep {
    const key = node.value as string;
    const { fn, utils } = this.internals;
    return (input, environment) => {
      if (Array.isArray(input))
        return fn.lookup.call({ createSequence: environment.base.createSequence }, input, key);
      if (
        input !== null &&
        typeof input === 'object' &&
        hasOwn(input, key) &&
        !utils.isFunction(input)
      )
        return (input as Record<string, unknown>)[key];
      return undefined;
    };
  }

  /** A path without tuple streams: each step maps over what the previous one produced. */
  private path(node: AstNode): CompiledStep | undefined {
    const steps = node.steps as AstNode[];
    if (
      steps.some(
        (step) => step.type === 'sort' || TUPLE_PROPERTIES.some((key) => hasOwn(step, key)),
      )
    )
      return undefined;
    if (hasOwn(node, 'tuple')) return undefined;
    const filters: Array<AstNode[] | undefined> = [];
    for (const step of steps) {
      const stageFilters = step.stages === undefined ? [] : filterExpressions(step.stages);
      if (stageFilters === undefined) return undefined;
      filters.push(stageFilters.length === 0 ? undefined : stageFilters);
    }
    const closures = steps.map((step) => this.stepOf(step));
    for (const stepFilters of filters) stepFilters?.forEach((filter) => this.stepOf(filter));
    const absolute = steps[0]!.type === 'variable';
    const firstIsArrayConstructor = steps[0]!.consarray === true;
    const keepSingletonArray = node.keepSingletonArray === true;
    const group = hasOwn(node, 'group') ? (node.group as AstNode) : undefined;
    if (group !== undefined) this.compileChildren(group);
    const { evaluateFilter, evaluateGroupExpression } = this.internals;
    const last = steps.length - 1;

    const runStep = (index: number, input: Sequence, environment: Frame): Sequence => {
      const base = environment.base;
      base.guardrails();
      const closure = closures[index]!;
      const stepFilters = filters[index];
      // The interpreter collects the step's results, then flattens them; one pass does both.
      const flattened = base.createSequence();
      let count = 0;
      let only: unknown;
      for (let item = 0; item < input.length; item += 1) {
        let result = closure(input[item], environment);
        if (stepFilters !== undefined)
          for (const filter of stepFilters) result = evaluateFilter(filter, result, environment);
        if (result === undefined) continue;
        count += 1;
        only = result;
        if (!Array.isArray(result) || (result as Sequence).cons) flattened.push(result);
        else pushEach(flattened, result);
      }
      // A last step that gives one array (not a sequence) gives that array itself.
      if (index === last && count === 1 && Array.isArray(only) && !isSequence(only))
        return only as Sequence;
      return flattened;
    };

    return (input, environment) => {
      let inputSequence: Sequence =
        Array.isArray(input) && !absolute ? input : environment.base.createSequence(input);
      let resultSequence: Sequence | undefined;
      for (let index = 0; index <= last; index += 1) {
        resultSequence =
          index === 0 && firstIsArrayConstructor
            ? (closures[0]!(inputSequence, environment) as Sequence | undefined)
            : runStep(index, inputSequence, environment);
        if (resultSequence === undefined || resultSequence.length === 0) break;
        inputSequence = resultSequence;
      }
      if (keepSingletonArray) {
        if (Array.isArray(resultSequence) && resultSequence.cons && !resultSequence.sequence)
          resultSequence = environment.base.createSequence(resultSequence);
        resultSequence!.keepSingleton = true;
      }
      if (group !== undefined) return evaluateGroupExpression(group, resultSequence, environment);
      return resultSequence;
    };
  }

  private binary(node: AstNode): CompiledStep | undefined {
    const lhs = this.stepOf(node.lhs as AstNode);
    const rhs = this.stepOf(node.rhs as AstNode);
    const op = node.value as string;
    const internals = this.internals;
    switch (op) {
      case 'and':
        return (input, environment) =>
          internals.boolize(lhs(input, environment)) && internals.boolize(rhs(input, environment));
      case 'or':
        return (input, environment) =>
          internals.boolize(lhs(input, environment)) || internals.boolize(rhs(input, environment));
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return this.operator(lhs, rhs, (l, r) => internals.evaluateNumericExpression(l, r, op));
      case '=':
      case '!=':
        return this.operator(lhs, rhs, (l, r) => internals.evaluateEqualityExpression(l, r, op));
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.operator(lhs, rhs, (l, r) => internals.evaluateComparisonExpression(l, r, op));
      case '&':
        return this.operator(lhs, rhs, (l, r) => internals.evaluateStringConcat(l, r));
      case 'in':
        return this.operator(lhs, rhs, (l, r) => internals.evaluateIncludesExpression(l, r));
      case '..':
        return (input, environment) =>
          internals.evaluateRangeExpression(
            lhs(input, environment),
            rhs(input, environment),
            environment,
          );
      default:
        return undefined;
    }
  }

  private operator(
    lhs: CompiledStep,
    rhs: CompiledStep,
    operate: (lhs: unknown, rhs: unknown) => unknown,
  ): CompiledStep {
    return (input, environment) => {
      const left = lhs(input, environment);
      return operate(left, rhs(input, environment));
    };
  }

  private unary(node: AstNode): CompiledStep | undefined {
    switch (node.value) {
      case '-':
        return this.negation(node);
      case '[':
        return this.arrayConstructor(node);
      case '{':
        return this.objectConstructor(node);
      default:
        return undefined;
    }
  }

  private negation(node: AstNode): CompiledStep {
    const operand = this.stepOf(node.expression as AstNode);
    const { isNumeric } = this.internals.utils;
    return (input, environment) => {
      const value = operand(input, environment);
      if (value === undefined) return undefined;
      if (isNumeric(value)) return -(value as number);
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- JSONata's error shape, as the interpreter throws it
      throw { code: 'D1002', position: node.position, token: node.value, value };
    };
  }

  private arrayConstructor(node: AstNode): CompiledStep {
    const items = node.expressions as AstNode[];
    const closures = items.map((item) => this.stepOf(item));
    const nested = items.map((item) => item.value === '[');
    const consarray = node.consarray === true;
    const { append } = this.internals.fn;
    return (input, environment) => {
      // The interpreter evaluates every item before it assembles the array.
      const values = closures.map((closure) => closure(input, environment));
      let result: unknown[] = [];
      const focus = {
        options: environment.base.options,
        createSequence: environment.base.createSequence,
      };
      for (let index = 0; index < values.length; index += 1) {
        const value = values[index];
        if (value === undefined) continue;
        if (nested[index]) result.push(value);
        else result = append.call(focus, result, value) as unknown[];
      }
      if (consarray)
        Object.defineProperty(result, 'cons', {
          enumerable: false,
          configurable: false,
          value: true,
        });
      return result;
    };
  }

  /**
   * `{ "key": value, … }` with literal keys, over one context item: what the interpreter's
   * grouping does then, without building groups. Computed keys and sequences of context items
   * (where values are grouped by key) go to the interpreter's grouping.
   */
  private objectConstructor(node: AstNode): CompiledStep {
    const pairs = node.lhs as Array<[AstNode, AstNode]>;
    pairs.forEach(([key, value]) => {
      this.stepOf(key);
      this.stepOf(value);
    });
    const { evaluateGroupExpression } = this.internals;
    const interpreted: CompiledStep = (input, environment) =>
      evaluateGroupExpression(node, input, environment);
    const keys = pairs.map(([key]) => (isPlainString(key) ? (key.value as string) : undefined));
    if (
      keys.some((key) => key === undefined || RESERVED_KEYS.has(key)) ||
      new Set(keys).size !== keys.length
    )
      return interpreted;
    // The interpreter evaluates values in its groups' key order: integer-like keys first.
    const literalKeys = keys as string[];
    const order = Object.keys(
      Object.fromEntries(literalKeys.map((key, index) => [key, index] as const)),
    ).map((key) => literalKeys.indexOf(key));
    const orderedKeys = order.map((index) => keys[index]!);
    const values = order.map((index) => this.stepOf(pairs[index]![1]));
    // The interpreter's objects have no prototype. Nothing in JSONata looks past own properties,
    // so an ordinary object is the same to every function and operator, and V8 keeps it in its
    // fast form (a prototype-less object is a dictionary). Only a "__proto__" key needs the other.
    const prototype = orderedKeys.includes('__proto__') ? null : Object.prototype;
    return (input, environment) => {
      if (Array.isArray(input)) return interpreted(input, environment);
      const evaluated = values.map((value) => value(input, environment));
      const result = (prototype === null ? Object.create(null) : {}) as Record<string, unknown>;
      for (let index = 0; index < evaluated.length; index += 1) {
        const value = evaluated[index];
        if (value !== undefined) result[orderedKeys[index]!] = value;
      }
      return result;
    };
  }

  private condition(node: AstNode): CompiledStep {
    const condition = this.stepOf(node.condition as AstNode);
    const then = this.stepOf(node.then as AstNode);
    const otherwise = node.else === undefined ? undefined : this.stepOf(node.else as AstNode);
    const { boolean } = this.internals.fn;
    return (input, environment) => {
      if (boolean(condition(input, environment))) return then(input, environment);
      return otherwise?.(input, environment);
    };
  }

  private block(node: AstNode): CompiledStep {
    const expressions = (node.expressions as AstNode[]).map((expression) =>
      this.stepOf(expression),
    );
    const { createFrame } = this.internals;
    return (input, environment) => {
      const frame = createFrame(environment);
      let result: unknown;
      for (const expression of expressions) result = expression(input, frame);
      return result;
    };
  }

  private bind(node: AstNode): CompiledStep {
    const name = (node.lhs as AstNode).value as string;
    const value = this.stepOf(node.rhs as AstNode);
    return (input, environment) => {
      const bound = value(input, environment);
      environment.bind(name, bound);
      return bound;
    };
  }

  /** A call: the procedure and its arguments evaluated here, applied by the interpreter's `apply`. */
  private functionCall(node: AstNode): CompiledStep {
    const procedureNode = node.procedure as AstNode;
    const procedure = this.stepOf(procedureNode);
    const args = (node.arguments as AstNode[]).map((argument) => this.stepOf(argument));
    const procedureName =
      procedureNode.type === 'path'
        ? ((procedureNode.steps as AstNode[])[0]!.value as string)
        : (procedureNode.value as string);
    const { apply, utils } = this.internals;
    return (input, environment) => {
      const proc = procedure(input, environment);
      if (proc === undefined && procedureNode.type === 'path' && environment.lookup(procedureName))
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- JSONata's error shape, as the interpreter throws it
        throw { code: 'T1005', position: node.position, token: procedureName };
      const evaluatedArgs: unknown[] = [];
      for (const argument of args) {
        const value = argument(input, environment);
        if (utils.isFunction(value)) {
          // As the interpreter does: a function argument is called back through `apply`.
          const closure = (...params: unknown[]): unknown =>
            apply(value, params, null, environment);
          (closure as { arity?: number }).arity = utils.getFunctionArity(value);
          evaluatedArgs.push(closure);
        } else evaluatedArgs.push(value);
      }
      if (typeof proc === 'object' && proc !== null) {
        // The interpreter names the function on it for its error messages.
        (proc as { token?: unknown }).token = procedureName;
        (proc as { position?: unknown }).position = node.position;
      }
      return apply(proc, evaluatedArgs, input, environment);
    };
  }
}

const LITERALS = new Set(['string', 'number', 'value']);

/** A string literal with nothing applied to it (no predicate, grouping or `[]`). */
function isPlainString(node: AstNode): boolean {
  return node.type === 'string' && Object.keys(node).every((key) => PLAIN_LITERAL_KEYS.has(key));
}

const PLAIN_LITERAL_KEYS = new Set(['type', 'value', 'position']);

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string';
}

/**
 * The expressions of predicate or stage entries (`{ type: 'filter', expr }`), or undefined
 * when one is of another kind (an index binding of a tuple stream).
 */
function filterExpressions(entries: unknown): AstNode[] | undefined {
  const expressions: AstNode[] = [];
  for (const entry of entries as Array<{ type?: string; expr?: AstNode }>) {
    if (entry.type !== 'filter' || entry.expr === undefined) return undefined;
    expressions.push(entry.expr);
  }
  return expressions;
}
