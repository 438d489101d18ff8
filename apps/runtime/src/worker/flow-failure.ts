import { ConnectorError, type FailureType } from '@switchboard/connector-sdk';
import { MappingEvaluationError } from '@switchboard/flow-engine';

/** A failed step of a flow, classified so the retry policy can decide what happens next. */
export class FlowStepError extends Error {
  override readonly name = 'FlowStepError';
  constructor(
    readonly step: 'transform' | 'validate' | 'key' | 'deliver',
    readonly failureType: FailureType,
    message: string,
    readonly errorClass: string,
    readonly retryAfterMs?: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Classifies whatever a step threw. Unknown errors count as transient: retried, then dead-lettered. */
export function classifyStepError(step: FlowStepError['step'], error: unknown): FlowStepError {
  if (error instanceof FlowStepError) return error;
  if (error instanceof ConnectorError) {
    return new FlowStepError(step, error.failureType, error.message, error.code ?? error.name, error.retryAfterMs, error.details);
  }
  if (error instanceof MappingEvaluationError) {
    // A missing id mapping or rate is a business fact for a person to resolve; the rest is a broken mapping.
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof ConnectorError) return classifyStepError(step, cause);
    const failureType: FailureType = error.reason === 'function' ? 'business' : 'config';
    return new FlowStepError(step, failureType, error.message, `MappingEvaluationError:${error.reason}`);
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return new FlowStepError(step, 'transient', err.message, err.name);
}
