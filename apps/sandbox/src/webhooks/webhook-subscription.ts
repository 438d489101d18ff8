/** Systems that publish webhooks/notifications. */
export const PUBLISHING_SYSTEMS = ['clarity', 'payoneer'] as const;
export type PublishingSystem = (typeof PUBLISHING_SYSTEMS)[number];

/** Clarity events the sandbox's publisher emits (stock Clarity has no outbound webhooks). */
export const CLARITY_WEBHOOK_EVENTS = [
  'order.created',
  'payment.processed',
  'order.status_changed',
] as const;
/** Payoneer IPCN events, each delivered to its own configured URL. `PaymentReceived` is a sandbox addition. */
export const PAYONEER_NOTIFICATION_EVENTS = [
  'PaymentRequestAccepted',
  'SentToBank',
  'AccountCardLoaded',
  'CancelPayout',
  'PayeeApproved',
  'PayeeDeclined',
  'PaymentReceived',
] as const;

/** A subscription as the control API accepts it. */
export interface WebhookSubscriptionSpec {
  system: PublishingSystem;
  url: string;
  /** Event names (or `*`); default every event of the system. */
  events?: string[];
  /** Payoneer only: `json` body (default) or legacy IPCN query-string parameters on a GET. */
  format?: 'json' | 'query';
  /** Payoneer only: URL-encode each value, as some IPCN deliveries do. */
  urlEncodeValues?: boolean;
}

/** A stored subscription. */
export interface WebhookSubscription extends Required<WebhookSubscriptionSpec> {
  id: string;
  createdAt: string;
}

/** One attempt to deliver. */
export interface WebhookAttempt {
  attempt: number;
  at: string;
  status?: number;
  error?: string;
}

/** One delivery of one event to one subscription, with its attempts. */
export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  system: PublishingSystem;
  event: string;
  eventId: string;
  url: string;
  state: 'held' | 'pending' | 'delivered' | 'failed';
  /** True for the extra copy a `duplicate_webhook` fault sends. */
  duplicate: boolean;
  /** True when an `out_of_order_webhook` fault held it back behind a later event. */
  reordered: boolean;
  attempts: WebhookAttempt[];
  /** The exact body sent (JSON text, or empty for query-string deliveries). */
  body: string;
  /** Query-string fields of a `format: "query"` Payoneer delivery. */
  query?: Record<string, string>;
}
