import { type CompiledMapping } from '../mapping/compiled-mapping';
import { type RetryPolicy } from '../retry/retry-policy';
import { type FlowDefinition } from './flow-definition';

/** A flow ready to run: its definition plus everything resolved and compiled at load time. */
export interface CompiledFlow {
  readonly definition: FlowDefinition;
  /** Absolute path of the flow file. */
  readonly sourceFile: string;
  /** The transform, or null for a pass-through flow. */
  readonly mapping: CompiledMapping | null;
  /** The `key` expression: partition key and idempotency key of each event. */
  readonly key: CompiledMapping;
  /** The flow's `retry` over DEFAULT_RETRY_POLICY. */
  readonly retry: RetryPolicy;
  readonly dlqTopic: string;
  /** sha256 of the flow file and its mapping: equal hashes mean nothing that runs has changed. */
  readonly hash: string;
}
