import { PersistenceError } from '../persistence.errors';

/** The target id is already mapped from another source id in the namespace: a reverse lookup would be ambiguous. */
export class IdMapConflictError extends PersistenceError {
  override name = 'IdMapConflictError';

  constructor(
    readonly namespace: string,
    readonly targetId: string,
    readonly existingSourceId: string,
  ) {
    super(
      `id map "${namespace}": target id "${targetId}" is already mapped from "${existingSourceId}"`,
    );
  }
}
