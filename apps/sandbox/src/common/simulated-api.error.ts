/** The HTTP answer a simulated system gives for a failure, in that system's own shape. */
export interface SimulatedReply {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as-is with `contentType`. */
  body: unknown;
  contentType?: string;
}

/** Base of the per-system API errors; the exception filter turns them into their real-API shape. */
export abstract class SimulatedApiError extends Error {
  /** The reply the real system would send; `sequence` numbers replies per sandbox (audit ids, exc ids). */
  abstract toReply(sequence: number): SimulatedReply;
}
