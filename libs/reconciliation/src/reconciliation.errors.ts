/** Base of every error this lib throws on purpose. */
export class ReconciliationError extends Error {
  override name = 'ReconciliationError';
}

/** Input the engine cannot use (a malformed canonical record, a bad config value): the message names the field. */
export class ReconciliationInputError extends ReconciliationError {
  override name = 'ReconciliationInputError';
}

/** A match, review item, order or payment that does not exist. */
export class ReconciliationNotFoundError extends ReconciliationError {
  override name = 'ReconciliationNotFoundError';
}

/** A review action that no longer applies: the item was resolved already or the chosen record is taken. */
export class ReviewConflictError extends ReconciliationError {
  override name = 'ReviewConflictError';
}
