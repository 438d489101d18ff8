import Ajv, { type ErrorObject, type SchemaObject } from 'ajv';
import addFormats from 'ajv-formats';

/** A JSON Schema (draft-07) object, as declared by an action, trigger or connector. */
export type JsonSchema = SchemaObject;

/** A compiled schema: answers the problems of a value, each as `<where><json pointer> <message>`. */
export interface SchemaValidator {
  readonly schema: JsonSchema;
  /** Empty when the value is valid. */
  problems(value: unknown): string[];
}

/** Thrown by `compileJsonSchema` when the schema itself is not a valid JSON Schema. */
export class SchemaCompileError extends Error {
  override readonly name = 'SchemaCompileError';
}

/**
 * Compiles a schema once. Compilers are shared (creating one costs far more than compiling a
 * schema); a schema whose `$id` is already taken by another gets a compiler of its own, so two
 * connectors reusing an id cannot collide. `useDefaults` lets settings schemas fill in defaults.
 */
export function compileJsonSchema(
  schema: unknown,
  options: { useDefaults?: boolean } = {},
): SchemaValidator {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new SchemaCompileError('must be a JSON Schema object');
  }
  const useDefaults = options.useDefaults ?? false;
  const id = (schema as { $id?: unknown }).$id;
  let ajv = sharedCompiler(useDefaults);
  if (typeof id === 'string' && ajv.getSchema(id) !== undefined) ajv = createCompiler(useDefaults);
  let validate: ReturnType<Ajv['compile']>;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    // A failed compile may leave the schema's $id registered; free it for a corrected schema.
    ajv.removeSchema(schema);
    throw new SchemaCompileError((error as Error).message, { cause: error });
  }
  return {
    schema,
    problems(value: unknown): string[] {
      return validate(value) ? [] : (validate.errors ?? []).map(describeSchemaError);
    },
  };
}

const sharedCompilers = new Map<boolean, Ajv>();

function sharedCompiler(useDefaults: boolean): Ajv {
  let ajv = sharedCompilers.get(useDefaults);
  if (ajv === undefined) {
    ajv = createCompiler(useDefaults);
    sharedCompilers.set(useDefaults, ajv);
  }
  return ajv;
}

function createCompiler(useDefaults: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    // Unknown keywords are refused (a typo like "requird" would otherwise check nothing).
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    useDefaults,
    logger: false,
  });
  addFormats(ajv);
  return ajv;
}

function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath;
  const extra =
    error.keyword === 'additionalProperties'
      ? ` "${String((error.params as { additionalProperty: string }).additionalProperty)}"`
      : error.keyword === 'enum'
        ? `: ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`
        : '';
  return `${where} ${error.message ?? 'is invalid'}${extra}`;
}
