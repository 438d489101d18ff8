/**
 * A mapping that does not compile (or whose file cannot be read). The message starts with
 * `origin:line:column`, e.g. `mappings/clarity-to-canonical/order.jsonata:3:14 syntax error: …`;
 * line and column are 0 when the problem has no place in the text (an unreadable file).
 */
export class MappingCompileError extends Error {
  override readonly name = 'MappingCompileError';

  constructor(
    readonly origin: string,
    readonly line: number,
    readonly column: number,
    /** JSONata's error code (`S0202`, …) or the file system's (`ENOENT`, …). */
    readonly code: string,
    description: string,
    options?: { cause?: unknown },
  ) {
    super(
      line > 0 ? `${origin}:${line}:${column} ${description}` : `${origin}: ${description}`,
      options,
    );
  }
}

/** Why one evaluation failed: the limits stopped it, the expression failed, or a function it called did. */
export type MappingEvaluationFailure = 'timeout' | 'depth' | 'runtime' | 'function';

/** Where an evaluation failed: JSONata's character offset and the 1-based line:column it falls on. */
export interface MappingErrorPosition {
  position: number;
  line: number;
  column: number;
}

/**
 * One evaluation of a compiled mapping failed. Only that evaluation: the mapping stays usable.
 * For `function` failures, `cause` is what the function implementation threw (for instance a
 * ConnectorError of the id-map store), so callers can classify it.
 */
export class MappingEvaluationError extends Error {
  override readonly name = 'MappingEvaluationError';
  /** JSONata's character offset of the failing token, when known. */
  readonly position: number | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    readonly origin: string,
    /** JSONata's code (`T2002`, `D3137` for `$error()`, …), MAPPING_TIMEOUT, MAPPING_DEPTH or the function's code. */
    readonly code: string,
    readonly reason: MappingEvaluationFailure,
    description: string,
    at?: MappingErrorPosition,
    options?: { cause?: unknown },
  ) {
    super(
      at ? `${origin}:${at.line}:${at.column} ${description}` : `${origin}: ${description}`,
      options,
    );
    this.position = at?.position;
    this.line = at?.line;
    this.column = at?.column;
  }
}

/**
 * A mapping function ($lookup, $fx) refused: no id-map entry, no rate for the pair and date, or
 * arguments it cannot use. The message names exactly what was missing.
 */
export class MappingFunctionError extends Error {
  override readonly name: string = 'MappingFunctionError';

  constructor(
    /** LOOKUP_MISSING, FX_RATE_MISSING, FUNCTION_ARGUMENT, FUNCTION_UNAVAILABLE, FUNCTION_RESULT. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The runtime has no source for this function: it fails loudly rather than make data up. */
export class MappingFunctionUnavailableError extends MappingFunctionError {
  override readonly name = 'MappingFunctionUnavailableError';

  constructor(message: string) {
    super('FUNCTION_UNAVAILABLE', message);
  }
}
