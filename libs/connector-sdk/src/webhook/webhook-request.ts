/** A webhook delivery as the runtime's ingress received it, before any parsing. */
export interface WebhookRequest {
  method: string;
  /** Path and query as received, e.g. `/webhooks/clarity/order-events?source=store-1`. */
  url: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The exact bytes received: signatures are computed over these, never over re-serialised JSON. */
  rawBody: Buffer | string;
}

export type WebhookRejection =
  'missing_signature' | 'malformed_signature' | 'bad_signature' | 'expired' | 'replayed';

/** The answer of a webhook trigger's `verify`. */
export type WebhookVerification =
  { valid: true } | { valid: false; reason: WebhookRejection; message: string };
