import type jsonata from 'jsonata';
import { type CompiledMapping } from './compiled-mapping';
import {
  EVALUATION_GUARD_BINDING,
  EvaluationGuard,
  EvaluationLimitExceeded,
  timeoutMessage,
} from './evaluation-guard';
import { MappingFunctionCallFailure } from './mapping-function-bindings';
import {
  type MappingErrorPosition,
  MappingEvaluationError,
  MappingFunctionError,
} from './mapping-errors';
import { type MappingLimits } from './mapping-limits';
import { toPlainJson } from './plain-json';
import { errorOffset, lineColumnAt } from './source-position';
import { AsyncValueNeeded, type SynchronousExpression } from './synchronous-jsonata';

/** Most evaluations in a row that go straight to the original engine after the fast path could not answer. */
const MAX_FAST_PATH_BACK_OFF = 1023;

/** A compiled JSONata expression with its guard hooks and functions already installed. */
export class JsonataMapping implements CompiledMapping {
  /** Evaluations still to run on the original engine directly (back-off after fast-path misses). */
  private fastPathBackOff = 0;
  private fastPathMissesInARow = 0;

  constructor(
    readonly hash: string,
    readonly origin: string,
    private readonly source: string,
    private readonly expression: jsonata.Expression,
    private readonly limits: MappingLimits,
    /** Whether the expression has recursion hooks that need a guard per evaluation. */
    private readonly guarded: boolean,
    /** The same expression on synchronous JSONata, tried first; undefined runs the original engine only. */
    private readonly fastPath?: SynchronousExpression,
  ) {}

  async evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown> {
    if (this.fastPath !== undefined) {
      if (this.fastPathBackOff > 0) this.fastPathBackOff -= 1;
      else {
        const result = this.evaluateSynchronously(this.fastPath, input, bindings);
        if (result !== ON_ORIGINAL_ENGINE) return result;
      }
    }
    const guard = this.guarded ? new EvaluationGuard(this.limits.maxDepth) : undefined;
    try {
      return toPlainJson(await this.expression.evaluate(input, withGuard(bindings, guard)));
    } catch (error) {
      throw this.evaluationError(error);
    } finally {
      guard?.finish();
    }
  }

  /**
   * The result on the fast path, or ON_ORIGINAL_ENGINE when the original engine must decide:
   * a value only available asynchronously, or any error other than a timeout (the original
   * engine reports it as it always has; running out of JavaScript stack here is one of them).
   */
  private evaluateSynchronously(
    fastPath: SynchronousExpression,
    input: unknown,
    bindings: Record<string, unknown> | undefined,
  ): unknown {
    const guard = this.guarded ? new EvaluationGuard(this.limits.maxDepth) : undefined;
    try {
      const result = toPlainJson(fastPath.evaluate(input, withGuard(bindings, guard)));
      this.fastPathMissesInARow = 0;
      return result;
    } catch (error) {
      // Running the original engine after a timeout would only take as long again.
      if (isJsonataTimeout(error)) throw this.evaluationError(error);
      if (error instanceof AsyncValueNeeded) {
        // A mapping whose functions need the database would pay twice: try the fast path less often.
        this.fastPathMissesInARow += 1;
        this.fastPathBackOff = Math.min(2 ** this.fastPathMissesInARow - 1, MAX_FAST_PATH_BACK_OFF);
      }
      return ON_ORIGINAL_ENGINE;
    } finally {
      guard?.finish();
    }
  }

  private evaluationError(error: unknown): MappingEvaluationError {
    if (error instanceof EvaluationLimitExceeded) {
      const reason = error.reason === 'depth' ? 'depth' : 'timeout';
      return new MappingEvaluationError(
        this.origin,
        reason === 'depth' ? 'MAPPING_DEPTH' : 'MAPPING_TIMEOUT',
        reason,
        error.message,
        this.at(error.position, undefined),
      );
    }
    if (isJsonataTimeout(error)) {
      return new MappingEvaluationError(
        this.origin,
        'MAPPING_TIMEOUT',
        'timeout',
        timeoutMessage(this.limits.timeoutMs),
        this.at(error.position, undefined),
      );
    }
    if (error instanceof MappingFunctionCallFailure) {
      return new MappingEvaluationError(
        this.origin,
        error.code,
        'function',
        error.message,
        this.at(error.position, error.token),
        {
          cause: error.failure,
        },
      );
    }
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return new MappingEvaluationError(
        this.origin,
        'MAPPING_DEPTH',
        'depth',
        `too deeply nested for the JavaScript stack: ${error.message}`,
        undefined,
        {
          cause: error,
        },
      );
    }
    // JSONata throws plain objects { code, position, token, message }; our argument checks throw MappingFunctionErrors.
    const details = (typeof error === 'object' && error !== null ? error : {}) as {
      code?: unknown;
      position?: unknown;
      token?: unknown;
      message?: unknown;
    };
    const code =
      error instanceof MappingFunctionError
        ? error.code
        : typeof details.code === 'string'
          ? details.code
          : 'UNKNOWN';
    const message = typeof details.message === 'string' ? details.message : String(error);
    const description = /^[A-Z]\d{4}$/.test(code) ? `${message} (${code})` : message;
    return new MappingEvaluationError(
      this.origin,
      code,
      'runtime',
      description,
      this.at(details.position, details.token),
      { cause: error },
    );
  }

  private at(position: unknown, token: unknown): MappingErrorPosition | undefined {
    if (typeof position !== 'number' || !Number.isFinite(position)) return undefined;
    const offset = errorOffset(this.source, position, token);
    return { position, ...lineColumnAt(this.source, offset) };
  }
}

const ON_ORIGINAL_ENGINE = Symbol('on the original engine');

function withGuard(
  bindings: Record<string, unknown> | undefined,
  guard: EvaluationGuard | undefined,
): Record<string, unknown> | undefined {
  return guard === undefined ? bindings : { ...bindings, [EVALUATION_GUARD_BINDING]: guard };
}

/** JSONata's own timeout check (its `timeout` option) throws D1012. */
function isJsonataTimeout(error: unknown): error is { code: 'D1012'; position?: number } {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'D1012'
  );
}
