import { type RetryPolicy } from '../retry/retry-policy';

/** `trigger.webhook`: an inbound webhook event of a connector. */
export interface WebhookTrigger {
  connector: string;
  event: string;
}

/** `trigger.schedule`: a connector action polled on a cron schedule. */
export interface ScheduleTrigger {
  cron: string;
  /** `<connector>.<action>`, e.g. `clarity.listModifiedOrders`. */
  action: string;
  /** Action input that carries the position reached by the previous poll. */
  cursor?: string;
}

/** Exactly one trigger kind; the key present says which (`if (trigger.webhook)` narrows). */
export type FlowTrigger =
  | { webhook: WebhookTrigger; schedule?: never; topic?: never }
  | { schedule: ScheduleTrigger; webhook?: never; topic?: never }
  | { topic: string; webhook?: never; schedule?: never };

export interface FlowTransform {
  /** JSONata file relative to the mappings folder. */
  mapping: string;
  /** Schema registry reference the output must satisfy, e.g. `canonical.order@1`. */
  output?: string;
}

/** `target.action`: a connector action called with the event as input. */
export interface ActionTarget {
  connector: string;
  name: string;
}

/** Exactly one target kind; the key present says which. */
export type FlowTarget =
  { topic: string; action?: never } | { action: ActionTarget; topic?: never };

/** `retry` as written in the file: every field optional, missing ones come from DEFAULT_RETRY_POLICY. */
export type FlowRetrySettings = Partial<RetryPolicy>;

export interface FlowDlqSettings {
  /** Default `sb.dlq.<id>`. */
  topic?: string;
  /** Alert channel told about each dead letter. */
  alert?: string;
}

/** A flow file as written, after it passed config/flow.schema.json. */
export interface FlowDefinition {
  id: string;
  version: number;
  description?: string;
  trigger: FlowTrigger;
  transform?: FlowTransform;
  target: FlowTarget;
  /** JSONata over the transform output: partition key and idempotency key. */
  key: string;
  retry?: FlowRetrySettings;
  dlq?: FlowDlqSettings;
}
