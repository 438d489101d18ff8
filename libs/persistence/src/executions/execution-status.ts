/** Every state an execution can be recorded in; `duplicate` marks an event absorbed by idempotency. */
export const EXECUTION_STATUSES = [
  'running',
  'succeeded',
  'failed',
  'retrying',
  'dead_lettered',
  'in_review',
  'duplicate',
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
