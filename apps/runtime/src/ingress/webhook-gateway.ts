/** An inbound webhook request as the connector's verifier sees it. */
export interface InboundWebhook {
  connector: string;
  event: string;
  /** Path and query as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  body: unknown;
}

/** One trigger event taken from a verified webhook. */
export interface AcceptedEvent {
  /** The sender's event id, used to absorb duplicate deliveries. */
  eventId: string;
  /** The event name, e.g. order.created (a delivery may carry several kinds). */
  event: string;
  payload: unknown;
}

/** Refusal of a webhook, with the HTTP status that tells the sender whether to retry. */
export class WebhookRejectedError extends Error {
  override readonly name = 'WebhookRejectedError';
  constructor(
    readonly status: 400 | 401 | 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

/** Verifies a webhook's signature and turns its body into events; implemented by the connector registry. */
export interface WebhookGateway {
  accept(webhook: InboundWebhook): Promise<AcceptedEvent[]>;
}
