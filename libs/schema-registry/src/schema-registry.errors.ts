import { type CompatibilityIssue } from './backward-compatibility';

/** Base of every error this lib throws on purpose. */
export class SchemaRegistryError extends Error {
  override name = 'SchemaRegistryError';
}

/** A reference names no registered schema; `suggestion` holds the nearest known reference, if one is close. */
export class UnknownSchemaError extends SchemaRegistryError {
  override name = 'UnknownSchemaError';

  constructor(
    readonly ref: string,
    message: string,
    readonly suggestion?: string,
  ) {
    super(message);
  }
}

/** A schema, its reference or its file cannot be registered: malformed, does not compile, conflicts with one already there. */
export class InvalidSchemaError extends SchemaRegistryError {
  override name = 'InvalidSchemaError';
}

/** A new schema version would refuse data written with the previous one; `issues` lists every breaking change. */
export class SchemaCompatibilityError extends SchemaRegistryError {
  override name = 'SchemaCompatibilityError';

  constructor(
    readonly ref: string,
    readonly previousRef: string,
    readonly issues: readonly CompatibilityIssue[],
    origin?: string,
  ) {
    const lines = issues.map(
      (issue) => `  - ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`,
    );
    super(
      `${ref}${origin === undefined ? '' : ` (${origin})`} is not backward compatible with ${previousRef}: ` +
        `consumers reading with it would refuse data written with ${previousRef}. Publish it under a new name, ` +
        `or make these changes compatible:\n${lines.join('\n')}`,
    );
  }
}
