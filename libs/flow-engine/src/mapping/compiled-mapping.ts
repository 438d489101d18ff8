/** A JSONata mapping compiled once, evaluated per event. */
export interface CompiledMapping {
  /** sha256 (hex) of the source text. */
  readonly hash: string;
  /** Where the source came from (a file path, or `flow.yaml#key`), used in every error message. */
  readonly origin: string;
  /** Evaluates against input; rejects with MappingEvaluationError (runtime error, timeout, depth exceeded, function failure) */
  evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
}
