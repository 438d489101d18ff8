import { randomUUID } from 'node:crypto';
import type { DeliveredMessage, OutgoingMessage } from '@switchboard/event-bus';

/**
 * What a flow worker processes: the trigger's payload plus where it came from.
 * On the bus the payload is the message value and the rest travels in `sb-*` headers,
 * so canonical topics carry plain canonical records that any Kafka consumer can read.
 */
export interface Envelope {
  /** The event id: stable across redeliveries, retries and replays (the idempotency key). */
  id: string;
  flowId: string;
  /** Set only when a replay pins the flow version the event first ran on. */
  pinnedVersion: number | null;
  key: string | null;
  headers: Record<string, string>;
  payload: unknown;
  attempt: number;
  correlationId: string;
  receivedAt: string;
  /** Epoch ms before which a delayed retry must not run. */
  notBefore: number | null;
  /** Dead letter this event replays, when it is a replay. */
  replayOf: string | null;
  /** Where the event was read, for dead-letter context. */
  source: { topic: string; partition: number; offset: string } | null;
}

export const HEADER = {
  eventId: 'sb-event-id',
  correlationId: 'sb-correlation-id',
  attempt: 'sb-attempt',
  receivedAt: 'sb-received-at',
  pinnedVersion: 'sb-flow-version',
  notBefore: 'sb-not-before',
  replayOf: 'sb-replay-of',
  sourceFlow: 'sb-source-flow',
} as const;

const RESERVED = new Set<string>(Object.values(HEADER));

/** Builds the envelope of a fresh trigger event (webhook, poll, replay). */
export function newEnvelope(fields: {
  flowId: string;
  payload: unknown;
  key: string | null;
  id?: string;
  headers?: Record<string, string>;
  correlationId?: string;
}): Envelope {
  return {
    id: fields.id ?? randomUUID(),
    flowId: fields.flowId,
    pinnedVersion: null,
    key: fields.key,
    headers: fields.headers ?? {},
    payload: fields.payload,
    attempt: 1,
    correlationId: fields.correlationId ?? randomUUID(),
    receivedAt: new Date().toISOString(),
    notBefore: null,
    replayOf: null,
    source: null,
  };
}

/** Turns an envelope into a bus message (payload as value, context as headers). */
export function toMessage(envelope: Envelope): OutgoingMessage {
  const headers: Record<string, string> = { ...envelope.headers };
  headers[HEADER.eventId] = envelope.id;
  headers[HEADER.correlationId] = envelope.correlationId;
  headers[HEADER.attempt] = String(envelope.attempt);
  headers[HEADER.receivedAt] = envelope.receivedAt;
  if (envelope.pinnedVersion !== null) headers[HEADER.pinnedVersion] = String(envelope.pinnedVersion);
  if (envelope.notBefore !== null) headers[HEADER.notBefore] = String(envelope.notBefore);
  if (envelope.replayOf !== null) headers[HEADER.replayOf] = envelope.replayOf;
  return { key: envelope.key, headers, value: envelope.payload };
}

/** The event id a message carries; messages from outside Switchboard get ids from their position. */
export function eventIdOf(message: DeliveredMessage): string {
  return message.headers[HEADER.eventId] ?? `${message.topic}:${message.partition}:${message.offset}`;
}

/** Reads a bus message back into an envelope; messages from outside Switchboard get ids from their position. */
export function fromMessage(flowId: string, message: DeliveredMessage): Envelope {
  const h = message.headers;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(h)) if (!RESERVED.has(name)) headers[name] = value;
  const source = { topic: message.topic, partition: message.partition, offset: message.offset };
  return {
    id: eventIdOf(message),
    flowId,
    pinnedVersion: h[HEADER.pinnedVersion] === undefined ? null : Number(h[HEADER.pinnedVersion]),
    key: message.key,
    headers,
    payload: message.value,
    attempt: h[HEADER.attempt] === undefined ? 1 : Number(h[HEADER.attempt]),
    correlationId: h[HEADER.correlationId] ?? randomUUID(),
    receivedAt: h[HEADER.receivedAt] ?? new Date(message.timestamp).toISOString(),
    notBefore: h[HEADER.notBefore] === undefined ? null : Number(h[HEADER.notBefore]),
    replayOf: h[HEADER.replayOf] ?? null,
    source,
  };
}
