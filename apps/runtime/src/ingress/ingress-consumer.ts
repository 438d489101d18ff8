import type { AcceptedEvent } from './webhook-gateway';

/**
 * A part of the runtime that takes some webhook events itself, before the sender gets its 2xx
 * (besides any flows that listen to them): state kept in Postgres rather than on the bus, such
 * as payout statuses. A failure answers the sender with an error, so it delivers again.
 */
export interface IngressConsumer {
  /** Whether it takes events of `connector`/`event` (then the ingress needs no flow for them). */
  handles(connector: string, event: string): boolean;
  /** Applies the events it takes; must be safe to repeat for a redelivered event. */
  apply(connector: string, events: readonly AcceptedEvent[]): Promise<unknown>;
}

/** The ingress consumers of this runtime (an array; empty when no feature registers one). */
export const INGRESS_CONSUMERS = Symbol('IngressConsumers');
