/** One event a trigger hands to the runtime, which publishes it for the flows listening to `event`. */
export interface TriggerEvent {
  /** One of the trigger's declared `events`, e.g. `order.created`. */
  event: string;
  /** Stable id of the event at the source: the runtime drops duplicate deliveries by it. */
  id: string;
  payload: unknown;
  /** ISO 8601, when the source says when it happened. */
  occurredAt?: string;
}
