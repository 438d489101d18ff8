export { checkBackwardCompatibility, type CompatibilityIssue } from './backward-compatibility';
export { formatSchemaRef, parseSchemaRef, type SchemaRef } from './schema-ref';
export { SchemaRegistry } from './schema-registry';
export {
  InvalidSchemaError,
  SchemaCompatibilityError,
  SchemaRegistryError,
  UnknownSchemaError,
} from './schema-registry.errors';
export { type SchemaValidationIssue, type SchemaValidator } from './schema-validator';
