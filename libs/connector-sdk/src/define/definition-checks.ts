import { compileJsonSchema, SchemaCompileError, type SchemaValidator } from '../schema/json-schema';

/** camelCase action and trigger names: `submitPayout`, `orderEvents`. */
export const MEMBER_NAME = /^[a-z][a-zA-Z0-9]*$/;

/** Compiles a declared schema, or records why it does not compile under `path`. */
export function compileDeclaredSchema(
  schema: unknown,
  path: string,
  problems: string[],
  options: { useDefaults?: boolean } = {},
): SchemaValidator | undefined {
  try {
    return compileJsonSchema(schema, options);
  } catch (error) {
    if (!(error instanceof SchemaCompileError)) throw error;
    problems.push(`${path}: schema does not compile: ${error.message}`);
    return undefined;
  }
}

/** Records a problem when `owner[key]` is not a function. */
export function requireFunction(
  owner: object,
  key: string,
  problems: string[],
  path: string = key,
): void {
  const value: unknown = (owner as Record<string, unknown>)[key];
  if (typeof value !== 'function')
    problems.push(`${path} must be a function, got ${describeValue(value)}`);
}

/** Short description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${typeof value} ${value}`;
  return `a ${typeof value}`;
}

/** Records every name that appears more than once. */
export function requireUniqueNames(
  names: readonly string[],
  what: string,
  problems: string[],
): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) problems.push(`${what} name "${name}" is declared more than once`);
    seen.add(name);
  }
}
