import { ConnectorDefinitionError } from '../errors/connector-definition-error';
import { type JsonSchema, type SchemaValidator } from '../schema/json-schema';
import { type ReplayCache } from '../webhook/replay-cache';
import { type WebhookRequest, type WebhookVerification } from '../webhook/webhook-request';
import { type ConnectorContext } from './connector-context';
import {
  MEMBER_NAME,
  compileDeclaredSchema,
  describeValue,
  requireFunction,
  requireUniqueNames,
} from './definition-checks';
import { type TriggerEvent } from './trigger-event';

/** Event names as flows write them: `order.created`, `payout.statusUpdated`. */
const EVENT_NAME = /^[a-z][a-zA-Z0-9_]*(\.[a-z][a-zA-Z0-9_]*)*$/;

/** What `verify` may use besides the request and the secret. */
export interface WebhookTools {
  replayCache: ReplayCache;
  now: () => number;
}

interface TriggerCommon {
  /** camelCase, unique among the connector's triggers. */
  name: string;
  title?: string;
  description?: string;
  /** The event names this trigger can produce. */
  events: string[];
  /** JSON Schema of the event payloads, for docs and validation of what the trigger emits. */
  payload?: JsonSchema;
}

/** A trigger fed by deliveries the remote posts to the runtime's ingress. */
export interface WebhookTriggerSpec extends TriggerCommon {
  kind: 'webhook';
  /** The secret `verify` receives. Default `webhookSecret`. */
  secretName?: string;
  /** Checks the delivery is authentic (signature, timestamp, replay) before anything is parsed. */
  verify(
    request: WebhookRequest,
    secret: string,
    tools: WebhookTools,
  ): Promise<WebhookVerification> | WebhookVerification;
  /** Maps a verified delivery to events; `body` is parsed JSON, a form as an object, or the text. */
  toEvents(body: unknown, request: WebhookRequest): Promise<TriggerEvent[]> | TriggerEvent[];
}

/** What one poll found, and where the next poll starts. */
export interface PollResult {
  events: TriggerEvent[];
  /** Omitted: the cursor stays where it was. */
  nextCursor?: string;
}

/** A trigger the runtime's scheduler runs: it asks the remote for what changed since the cursor. */
export interface PollTriggerSpec extends TriggerCommon {
  kind: 'poll';
  /** Suggested interval between polls. Default 60 s. */
  intervalMs?: number;
  /** `cursor` is undefined on the first poll. */
  poll(cursor: string | undefined, context: ConnectorContext): Promise<PollResult>;
}

export type TriggerSpec = WebhookTriggerSpec | PollTriggerSpec;

/** A webhook trigger whose declaration was checked. */
export type WebhookTriggerDefinition = WebhookTriggerSpec & {
  readonly secretName: string;
  readonly payloadValidator: SchemaValidator | undefined;
};

/** A polling trigger whose declaration was checked. */
export type PollTriggerDefinition = PollTriggerSpec & {
  readonly payloadValidator: SchemaValidator | undefined;
};

export type TriggerDefinition = WebhookTriggerDefinition | PollTriggerDefinition;

const defined = new WeakSet<object>();

/** Declares a webhook (`verify` + `toEvents`) or polling (`poll`) trigger. */
export function defineTrigger(spec: WebhookTriggerSpec): WebhookTriggerDefinition;
export function defineTrigger(spec: PollTriggerSpec): PollTriggerDefinition;
export function defineTrigger(spec: TriggerSpec): TriggerDefinition;
export function defineTrigger(spec: TriggerSpec): TriggerDefinition {
  if (typeof spec === 'object' && spec !== null && defined.has(spec))
    return spec as TriggerDefinition;
  const subject = `trigger ${typeof spec?.name === 'string' ? `"${spec.name}"` : '(unnamed)'}`;
  if (typeof spec !== 'object' || spec === null)
    throw new ConnectorDefinitionError(subject, [`must be an object, got ${describeValue(spec)}`]);
  const problems: string[] = [];
  if (typeof spec.name !== 'string' || !MEMBER_NAME.test(spec.name)) {
    problems.push(`name must be camelCase (e.g. orderEvents), got ${describeValue(spec.name)}`);
  }
  if (!Array.isArray(spec.events) || spec.events.length === 0) {
    problems.push('events must list at least one event name (e.g. ["order.created"])');
  } else {
    for (const [index, event] of spec.events.entries()) {
      if (typeof event !== 'string' || !EVENT_NAME.test(event)) {
        problems.push(
          `events[${index}] must be a dotted event name like order.created, got ${describeValue(event)}`,
        );
      }
    }
    requireUniqueNames(
      spec.events.filter((event) => typeof event === 'string'),
      'event',
      problems,
    );
  }
  const payloadValidator =
    spec.payload === undefined
      ? undefined
      : compileDeclaredSchema(spec.payload, 'payload', problems);
  const kind = (spec as { kind?: unknown }).kind;
  if (kind === 'webhook') {
    const webhook = spec as WebhookTriggerSpec;
    requireFunction(webhook, 'verify', problems);
    requireFunction(webhook, 'toEvents', problems);
    if (
      webhook.secretName !== undefined &&
      (typeof webhook.secretName !== 'string' || webhook.secretName === '')
    ) {
      problems.push(
        `secretName must be a non-empty string, got ${describeValue(webhook.secretName)}`,
      );
    }
  } else if (kind === 'poll') {
    const polling = spec as PollTriggerSpec;
    requireFunction(polling, 'poll', problems);
    if (
      polling.intervalMs !== undefined &&
      !(typeof polling.intervalMs === 'number' && polling.intervalMs > 0)
    ) {
      problems.push(
        `intervalMs must be a positive number, got ${describeValue(polling.intervalMs)}`,
      );
    }
  } else {
    problems.push(`kind must be "webhook" or "poll", got ${describeValue(kind)}`);
  }
  if (problems.length > 0) throw new ConnectorDefinitionError(subject, problems);
  const definition: TriggerDefinition =
    spec.kind === 'webhook'
      ? { ...spec, secretName: spec.secretName ?? 'webhookSecret', payloadValidator }
      : { ...spec, payloadValidator };
  defined.add(definition);
  return definition;
}
