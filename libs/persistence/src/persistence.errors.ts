/** Base of every error this lib throws on purpose, so callers can tell them from driver failures. */
export class PersistenceError extends Error {
  override name = 'PersistenceError';
}

/** A caller handed the lib something it cannot use: the message names the value and where it came from. */
export class PersistenceInputError extends PersistenceError {
  override name = 'PersistenceInputError';
}

/** The embedded PostgreSQL could not be prepared or started. */
export class EmbeddedPostgresError extends PersistenceError {
  override name = 'EmbeddedPostgresError';
}

/** A master key is missing, malformed or not 32 bytes. Never carries the key itself. */
export class MasterKeyError extends PersistenceError {
  override name = 'MasterKeyError';
}

/** A sealed value could not be opened: wrong key, unknown key id, or tampered bytes. Never carries plaintext. */
export class SecretDecryptionError extends PersistenceError {
  override name = 'SecretDecryptionError';
}

/** The execution recorder holds more unwritten records than its hard limit: the database is not keeping up. */
export class ExecutionRecorderOverflowError extends PersistenceError {
  override name = 'ExecutionRecorderOverflowError';
}

/** Buffered execution records could not be written; they are still held in memory for the next attempt. */
export class ExecutionFlushError extends PersistenceError {
  override name = 'ExecutionFlushError';
}
