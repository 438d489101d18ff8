import { ConnectorDefinitionError } from '../errors/connector-definition-error';
import { type JsonSchema, type SchemaValidator } from '../schema/json-schema';
import { type ActionContext } from './connector-context';
import {
  MEMBER_NAME,
  compileDeclaredSchema,
  describeValue,
  requireFunction,
} from './definition-checks';

/** A documented sample call; the conformance kit runs each one against the system under test. */
export interface ActionExample<TInput = unknown, TOutput = unknown> {
  name: string;
  input: TInput;
  /** When given, the answer must contain these fields (deep partial match). */
  output?: Partial<TOutput>;
}

/** What a connector author writes for one action. */
export interface ActionSpec<TInput = unknown, TOutput = unknown> {
  /** camelCase, unique within the connector: flows call `<connector>.<name>`. */
  name: string;
  title?: string;
  description?: string;
  /** JSON Schema of the input: an object schema. Input is validated before `run`. */
  input: JsonSchema;
  /** JSON Schema of the result. The result is validated after `run`. */
  output: JsonSchema;
  examples?: ActionExample<TInput, TOutput>[];
  run(input: TInput, context: ActionContext): Promise<TOutput>;
}

/** An action whose schemas compiled (once, here) and whose examples match them. */
export interface ActionDefinition<TInput = unknown, TOutput = unknown> extends ActionSpec<
  TInput,
  TOutput
> {
  readonly examples: ActionExample<TInput, TOutput>[];
  readonly inputValidator: SchemaValidator;
  readonly outputValidator: SchemaValidator;
}

const defined = new WeakSet<object>();

/** Declares an action: checks its name, compiles its schemas, checks its examples against them. */
export function defineAction<TInput, TOutput>(
  spec: ActionSpec<TInput, TOutput>,
): ActionDefinition<TInput, TOutput> {
  if (typeof spec === 'object' && spec !== null && defined.has(spec))
    return spec as ActionDefinition<TInput, TOutput>;
  const problems: string[] = [];
  const subject = `action ${typeof spec?.name === 'string' ? `"${spec.name}"` : '(unnamed)'}`;
  if (typeof spec !== 'object' || spec === null)
    throw new ConnectorDefinitionError(subject, [`must be an object, got ${describeValue(spec)}`]);
  if (typeof spec.name !== 'string' || !MEMBER_NAME.test(spec.name)) {
    problems.push(`name must be camelCase (e.g. submitPayout), got ${describeValue(spec.name)}`);
  }
  requireFunction(spec, 'run', problems);
  const inputValidator = compileDeclaredSchema(spec.input, 'input', problems);
  const outputValidator = compileDeclaredSchema(spec.output, 'output', problems);
  if (inputValidator !== undefined && (spec.input as { type?: unknown }).type !== 'object') {
    problems.push('input: schema must describe an object (type: "object")');
  }
  const examples = spec.examples ?? [];
  if (!Array.isArray(examples))
    problems.push(`examples must be an array, got ${describeValue(examples)}`);
  else {
    examples.forEach((example, index) => {
      const where = `examples[${index}]`;
      if (typeof example?.name !== 'string' || example.name === '')
        problems.push(`${where}.name must be a non-empty string`);
      for (const problem of inputValidator?.problems(example?.input) ?? [])
        problems.push(`${where}.input ${problem}`);
    });
  }
  if (problems.length > 0 || inputValidator === undefined || outputValidator === undefined) {
    throw new ConnectorDefinitionError(subject, problems);
  }
  const definition = { ...spec, examples, inputValidator, outputValidator };
  defined.add(definition);
  return definition;
}
