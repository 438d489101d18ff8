/** What one load-generator process sends. Every run is bounded by count and by time. */
export interface LoadPlan {
  /** Runtime base URLs (one per instance); webhooks go to /hooks/bench-shop/order.created, request i to urls[i % n]. */
  urls: string[];
  webhookSecret: string;
  /** Events per second; 0 sends as fast as `connections` allow (saturation). */
  rate: number;
  seconds: number;
  maxRequests: number;
  connections: number;
  /** Clarity order id of request 0; request i carries firstOrderId + i. */
  firstOrderId: number;
}

/** What the load generator reports back: per request, send and answer time (epoch ms) and status. */
export interface LoadResult {
  sent: number;
  sentAt: Float64Array;
  answeredAt: Float64Array;
  /** HTTP status per request; 0 for a network error. */
  status: Uint16Array;
  firstError: string | undefined;
  durationMs: number;
}
