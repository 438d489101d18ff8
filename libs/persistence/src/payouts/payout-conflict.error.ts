import { PersistenceError } from '../persistence.errors';

/** A payout write would break a uniqueness rule (batch reference, client reference id, one live attempt). */
export class PayoutConflictError extends PersistenceError {
  override name = 'PayoutConflictError';
}
