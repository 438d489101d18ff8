import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import flowSchema from '../../../../config/flow.schema.json';
import { didYouMean } from './did-you-mean';

/** One place where a flow document breaks config/flow.schema.json, in words for the flow's author. */
export interface FlowSchemaIssue {
  /** Path segments from the document root (array indexes as digit strings). */
  path: string[];
  /** True when the map key at `path` is the problem (an unknown key), not its value. */
  atKey: boolean;
  message: string;
}

interface SchemaNode {
  properties?: Record<string, unknown>;
  minProperties?: number;
  maxProperties?: number;
  patternErrorMessage?: string;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled === undefined) {
    // verbose: the messages below quote the offending value and list the allowed keys.
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    // Editor-only annotations of the schema (VS Code / yaml-language-server); patternErrorMessage is also ours.
    ajv.addVocabulary(['patternErrorMessage', 'defaultSnippets']);
    compiled = ajv.compile(flowSchema);
  }
  return compiled;
}

/** Checks a parsed flow document against the published flow schema; every issue, not just the first. */
export function checkFlowShape(document: unknown): FlowSchemaIssue[] {
  const validate = validator();
  if (validate(document)) return [];
  const issues: FlowSchemaIssue[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const issue = describeError(error);
    const identity = `${issue.path.join('/')}|${issue.atKey}|${issue.message}`;
    if (!seen.has(identity)) issues.push(issue);
    seen.add(identity);
  }
  return issues;
}

function describeError(error: ErrorObject): FlowSchemaIssue {
  const path = pointerSegments(error.instancePath);
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  const data: unknown = error.data;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(parent.properties ?? {});
      const hint = didYouMean(key, allowed) || `; expected one of: ${allowed.join(', ')}`;
      return { path: [...path, key], atKey: true, message: `unknown key "${key}"${hint}` };
    }
    case 'required':
      return {
        path,
        atKey: false,
        message: `missing required key "${String(params.missingProperty)}"`,
      };
    case 'minProperties':
    case 'maxProperties':
      if (parent.minProperties === 1 && parent.maxProperties === 1) {
        const choices = Object.keys(parent.properties ?? {}).join(', ');
        const found =
          isRecord(data) && Object.keys(data).length > 0
            ? `, found: ${Object.keys(data).join(', ')}`
            : '';
        return { path, atKey: false, message: `must set exactly one of: ${choices}${found}` };
      }
      break;
    case 'type':
      return {
        path,
        atKey: false,
        message: `must be ${typeWords(String(params.type))}, got ${describeValue(data)}`,
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = typeof data === 'string' ? didYouMean(data, allowed) : '';
      return {
        path,
        atKey: false,
        message: `must be one of ${allowed.join(', ')}, got ${describeValue(data)}${hint}`,
      };
    }
    case 'pattern':
      return {
        path,
        atKey: false,
        message: `${parent.patternErrorMessage ?? `must match ${String(params.pattern)}`}, got ${describeValue(data)}`,
      };
    case 'minLength':
      if (params.limit === 1) return { path, atKey: false, message: 'must not be empty' };
      break;
    case 'uniqueItems':
      return {
        path,
        atKey: false,
        message: `lists ${describeValue(Array.isArray(data) ? data[Number(params.i)] : data)} twice`,
      };
  }
  return {
    path,
    atKey: false,
    message: `${error.message ?? 'is invalid'}, got ${describeValue(data)}`,
  };
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function typeWords(type: string): string {
  const words: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
  };
  return type
    .split(',')
    .map((one) => words[one] ?? one)
    .join(' or ');
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
