import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import jsonata from 'jsonata';
import { type CompiledMapping } from './compiled-mapping';
import { guardOf, installEvaluationGuard } from './evaluation-guard';
import { JsonataMapping } from './jsonata-mapping';
import {
  registerMappingFunctions,
  registerSynchronousMappingFunctions,
} from './mapping-function-bindings';
import { type MappingFunctions } from './mapping-functions';
import { MappingCompileError } from './mapping-errors';
import { type MappingLimits, resolveMappingLimits } from './mapping-limits';
import { errorOffset, lineColumnAt } from './source-position';
import { compileToClosures } from './closure-compiler';
import { type AstNode, type JsonataInternals } from './jsonata-internals';
import {
  type SynchronousExpression,
  synchronousJsonata,
  synchronousJsonataInternals,
} from './synchronous-jsonata';
import { UNCONFIGURED_MAPPING_FUNCTIONS } from './unconfigured-mapping-functions';

export interface MappingEngineOptions {
  /**
   * Evaluate on the synchronous variant of JSONata first (synchronous-jsonata.ts), and on the
   * original engine only when a value is not available synchronously. Same results, about
   * twice as fast. Default true; false runs every evaluation on the original engine.
   */
  synchronousFastPath?: boolean;
  /**
   * Compile the fast path's expressions into JavaScript closures (closure-compiler.ts), the
   * recursion guard's count included. Same results, a fraction of the interpreter's cost per
   * step. Default true; false interprets them. Needs the synchronous fast path.
   */
  compiledClosures?: boolean;
}

/** Compiles JSONata mappings once, with $lookup/$fx and the time and depth limits built in. */
export class MappingEngine {
  private readonly limits: MappingLimits;
  private readonly compiled = new Map<string, CompiledMapping>();
  private readonly synchronous: ReturnType<typeof synchronousJsonata>;
  private readonly closureInternals: JsonataInternals | undefined;

  constructor(
    private readonly functions: MappingFunctions = UNCONFIGURED_MAPPING_FUNCTIONS,
    limits: Partial<MappingLimits> = {},
    options: MappingEngineOptions = {},
  ) {
    this.limits = resolveMappingLimits(limits);
    this.synchronous = options.synchronousFastPath === false ? undefined : synchronousJsonata();
    this.closureInternals =
      this.synchronous === undefined || options.compiledClosures === false
        ? undefined
        : synchronousJsonataInternals();
  }

  /** Compiles once; cached by sha256 of the source text (same text → same CompiledMapping instance). Throws MappingCompileError. */
  compile(source: string, origin: string): CompiledMapping {
    const hash = createHash('sha256').update(source).digest('hex');
    const cached = this.compiled.get(hash);
    if (cached !== undefined) return cached;

    let expression: jsonata.Expression;
    try {
      // JSONata's own per-evaluation clock, checked on every step; no `stack`: it counts side-by-side steps as depth.
      expression = jsonata(source, { timeout: this.limits.timeoutMs });
    } catch (error) {
      throw compileError(source, origin, error);
    }
    const guarded = installEvaluationGuard(expression).size > 0;
    registerMappingFunctions(expression, this.functions, this.limits.timeoutMs);
    const mapping = new JsonataMapping(
      hash,
      origin,
      source,
      expression,
      this.limits,
      guarded,
      this.fastPathOf(source),
    );
    this.compiled.set(hash, mapping);
    return mapping;
  }

  /** The same expression on the synchronous variant, with the same hooks; undefined without one. */
  private fastPathOf(source: string): SynchronousExpression | undefined {
    if (this.synchronous === undefined) return undefined;
    const expression = this.synchronous(source, { timeout: this.limits.timeoutMs });
    const recursiveBodies = installEvaluationGuard(expression);
    registerSynchronousMappingFunctions(expression, this.functions);
    // Closures skip the evaluate hooks: the bodies the guard counts get the count in their closure.
    if (this.closureInternals !== undefined)
      compileToClosures(expression.ast() as AstNode, this.closureInternals, {
        bodies: recursiveBodies,
        enter: (node, environment) => guardOf(environment)?.enter(node as jsonata.ExprNode, true),
        exit: (environment) => guardOf(environment)?.exit(true),
      });
    return expression;
  }

  /** Reads and compiles a .jsonata file (origin = the path as given). Throws MappingCompileError (also for unreadable file). */
  compileFile(path: string): CompiledMapping {
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'UNREADABLE';
      const reason = error instanceof Error ? error.message : String(error);
      throw new MappingCompileError(path, 0, 0, code, `cannot read the mapping file: ${reason}`, {
        cause: error,
      });
    }
    return this.compile(source, path);
  }
}

function compileError(source: string, origin: string, error: unknown): MappingCompileError {
  const details = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    position?: unknown;
    token?: unknown;
    message?: unknown;
  };
  const code = typeof details.code === 'string' ? details.code : 'UNKNOWN';
  const position = typeof details.position === 'number' ? details.position : 0;
  const { line, column } = lineColumnAt(source, errorOffset(source, position, details.token));
  // JSONata's S0201 message is just `Syntax error: <token>`.
  const message =
    code === 'S0201'
      ? `unexpected ${JSON.stringify(details.token)}`
      : typeof details.message === 'string'
        ? lowerFirst(details.message)
        : String(error);
  return new MappingCompileError(origin, line, column, code, `syntax error: ${message} (${code})`, {
    cause: error,
  });
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
