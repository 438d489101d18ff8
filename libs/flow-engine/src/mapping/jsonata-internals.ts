/**
 * The parts of the synchronous JSONata variant's interpreter (synchronous-jsonata.ts) that the
 * closure compiler (closure-compiler.ts) calls, typed as far as the compiler relies on them.
 * They are jsonata 2.2.2's own functions, made synchronous by the variant's rewrite.
 */

/** The property of an AST node that holds its compiled closure; the variant's `evaluate` runs it. */
export const COMPILED_STEP: unique symbol = Symbol('switchboard.compiledStep');

/** A node of a parsed (and post-processed) JSONata expression, as `expression.ast()` returns it. */
export interface AstNode {
  type: string;
  value?: unknown;
  position?: number;
  [COMPILED_STEP]?: CompiledStep;
  [property: string]: unknown;
}

/** Arrays JSONata builds carry these flags as own properties. */
export type Sequence = unknown[] & {
  sequence?: boolean;
  keepSingleton?: boolean;
  tupleStream?: boolean;
  outerWrapper?: boolean;
  cons?: boolean;
};

/** The state every frame of one evaluation shares (`environment.base`). */
export interface EvaluationBase {
  createSequence: (...items: unknown[]) => Sequence;
  options: unknown;
  /** The evaluation's clock check (the `timeout` option): throws D1012 once time is up. */
  guardrails: () => void;
}

/** A scope of variable bindings. */
export interface Frame {
  lookup(name: string): unknown;
  bind(name: string, value: unknown): void;
  base: EvaluationBase;
}

/** What evaluating one node returns, for one input, in one frame. */
export type CompiledStep = (input: unknown, environment: Frame) => unknown;

/** `this` of JSONata's built-in functions where they build sequences. */
export interface SequenceFocus {
  createSequence: EvaluationBase['createSequence'];
  options?: unknown;
}

export interface JsonataInternals {
  compiledStep: typeof COMPILED_STEP;
  fn: {
    lookup: (this: SequenceFocus, input: unknown, key: string) => unknown;
    append: (this: SequenceFocus, first: unknown, second: unknown) => unknown;
    boolean: (value: unknown) => boolean | undefined;
  };
  utils: {
    isNumeric: (value: unknown) => boolean;
    isFunction: (value: unknown) => boolean;
    getFunctionArity: (value: unknown) => number;
  };
  /** The variant's `evaluate`: a compiled node's closure, or the interpreter. */
  evaluate: (node: AstNode, input: unknown, environment: Frame) => unknown;
  evaluateFilter: (predicate: AstNode, input: unknown, environment: Frame) => unknown;
  evaluateGroupExpression: (node: AstNode, input: unknown, environment: Frame) => unknown;
  evaluateLambda: (node: AstNode, input: unknown, environment: Frame) => unknown;
  apply: (procedure: unknown, args: unknown[], input: unknown, environment: Frame) => unknown;
  createFrame: (enclosing: Frame) => Frame;
  boolize: (value: unknown) => boolean;
  evaluateNumericExpression: (lhs: unknown, rhs: unknown, op: string) => unknown;
  evaluateEqualityExpression: (lhs: unknown, rhs: unknown, op: string) => unknown;
  evaluateComparisonExpression: (lhs: unknown, rhs: unknown, op: string) => unknown;
  evaluateStringConcat: (lhs: unknown, rhs: unknown) => unknown;
  evaluateRangeExpression: (lhs: unknown, rhs: unknown, environment: Frame) => unknown;
  evaluateIncludesExpression: (lhs: unknown, rhs: unknown) => unknown;
}
