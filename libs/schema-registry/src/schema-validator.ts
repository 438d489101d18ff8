import { type ErrorObject, type ValidateFunction } from 'ajv';

/** One reason a value does not match a schema; `path` is dotted (`totals.total.amount`, `lines.0.debit`), empty for the value itself. */
export interface SchemaValidationIssue {
  path: string;
  message: string;
}

/** Checks one value against one compiled schema. */
export type SchemaValidator = (
  value: unknown,
) => { valid: true } | { valid: false; issues: SchemaValidationIssue[] };

// Shared by every successful call so the hot path allocates nothing for valid events.
const VALID: { valid: true } = Object.freeze({ valid: true as const });
const SHOWN_VALUE_LENGTH = 60;

/** Wraps a compiled ajv function into a SchemaValidator that turns ajv errors into readable issues. */
export function toSchemaValidator(validate: ValidateFunction): SchemaValidator {
  return (value) => {
    if (validate(value)) return VALID;
    return { valid: false, issues: (validate.errors ?? []).map((error) => toIssue(error, value)) };
  };
}

function toIssue(error: ErrorObject, root: unknown): SchemaValidationIssue {
  const segments = pointerSegments(error.instancePath);
  const path = segments.join('.');
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: joinPath(path, String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return {
        path: joinPath(path, String(params.additionalProperty)),
        message:
          'is not allowed here: the schema does not name this property (put extensions under "attributes")',
      };
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      return {
        path,
        message: `must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}${got(valueAt(root, segments))}`,
      };
    }
    case 'type':
    case 'pattern':
    case 'format':
    case 'const':
      return { path, message: `${error.message ?? 'is invalid'}${got(valueAt(root, segments))}` };
    default:
      return { path, message: error.message ?? `fails "${error.keyword}"` };
  }
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let value = root;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** ` (got number 12.5)`: the offending value, shortened, so a reader sees what was sent without opening the payload. */
function got(value: unknown): string {
  if (value === null) return ' (got null)';
  if (Array.isArray(value)) return ' (got an array)';
  if (typeof value === 'object') return ' (got an object)';
  if (value === undefined) return '';
  const shown =
    typeof value === 'string'
      ? JSON.stringify(value)
      : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
        ? String(value)
        : typeof value;
  const shortened =
    shown.length > SHOWN_VALUE_LENGTH ? `${shown.slice(0, SHOWN_VALUE_LENGTH)}…` : shown;
  return ` (got ${typeof value} ${shortened})`;
}
