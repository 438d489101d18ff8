import { type ExecutionStatus } from './execution-status';

/**
 * A full snapshot of an execution as the flow worker knows it. Recording the same `id` again
 * replaces the stored row's state (status, attempts, finish, error, steps).
 */
export interface ExecutionRecord {
  id: string;
  flowId: string;
  flowVersion: number;
  eventId: string;
  key?: string | null;
  status: ExecutionStatus;
  attempts: number;
  startedAt: Date;
  finishedAt?: Date | null;
  durationMs?: number | null;
  errorClass?: string | null;
  errorMessage?: string | null;
  /** JSON-serialisable step trace. */
  trace?: readonly unknown[];
  correlationId?: string | null;
}
