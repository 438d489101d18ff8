import { InvalidSchemaError } from './schema-registry.errors';

/** A schema name and version, e.g. `canonical.order` and 1 for `canonical.order@1`. */
export interface SchemaRef {
  name: string;
  version: number;
}

/** Lowercase words joined by dots or dashes: `canonical.journal-entry`. */
export const SCHEMA_NAME_PATTERN = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/;
const REF_PATTERN = /^([^@]+)@([1-9][0-9]{0,8})$/;

/** Splits `name@version`, or undefined when the text is not a well-formed reference. */
export function tryParseSchemaRef(ref: string): SchemaRef | undefined {
  const match = REF_PATTERN.exec(ref);
  if (match === null || !SCHEMA_NAME_PATTERN.test(match[1] ?? '')) return undefined;
  return { name: match[1] ?? '', version: Number(match[2]) };
}

/** Splits `name@version`; throws InvalidSchemaError saying what a reference looks like. */
export function parseSchemaRef(ref: string): SchemaRef {
  const parsed = tryParseSchemaRef(ref);
  if (parsed === undefined) {
    throw new InvalidSchemaError(
      `"${ref}" is not a schema reference: expected <name>@<version> with a lowercase dotted name and a positive integer version, e.g. "canonical.order@1"`,
    );
  }
  return parsed;
}

/** `canonical.order@1`. */
export function formatSchemaRef(name: string, version: number): string {
  return `${name}@${version}`;
}
