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

/** A compiled JSONata expression with its guard hooks and functions already installed. */
export class JsonataMapping implements CompiledMapping {
  constructor(
    readonly hash: string,
    readonly origin: string,
    private readonly source: string,
    private readonly expression: jsonata.Expression,
    private readonly limits: MappingLimits,
    /** Whether the expression has recursion hooks that need a guard per evaluation. */
    private readonly guarded: boolean,
  ) {}

  async evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown> {
    const guard = this.guarded ? new EvaluationGuard(this.limits.maxDepth) : undefined;
    const scope =
      guard === undefined ? bindings : { ...bindings, [EVALUATION_GUARD_BINDING]: guard };
    try {
      return toPlainJson(await this.expression.evaluate(input, scope));
    } catch (error) {
      throw this.evaluationError(error);
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

/** JSONata's own timeout check (its `timeout` option) throws D1012. */
function isJsonataTimeout(error: unknown): error is { code: 'D1012'; position?: number } {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'D1012'
  );
}
