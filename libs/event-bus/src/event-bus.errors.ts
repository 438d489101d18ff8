/** Base of every error the bus throws on purpose, so callers can tell them from client-library failures. */
export class EventBusError extends Error {
  override name = 'EventBusError';
}

/** A caller handed the bus something it cannot use: the message names the value and where it was. */
export class EventBusInputError extends EventBusError {
  override name = 'EventBusInputError';
}

/** The bus was used before `connect()` or after `disconnect()`. */
export class EventBusStateError extends EventBusError {
  override name = 'EventBusStateError';
}

/** The transport's backing service (the Kafka cluster) did not answer or refused the operation. */
export class EventBusUnavailableError extends EventBusError {
  override name = 'EventBusUnavailableError';
}

/**
 * The bus holds as many unhandled messages as it may (the memory transport's
 * maxBacklogPerPartition): nothing of the batch was taken. Retry after the consumers caught up.
 */
export class EventBusBackpressureError extends EventBusUnavailableError {
  override name = 'EventBusBackpressureError';
}
