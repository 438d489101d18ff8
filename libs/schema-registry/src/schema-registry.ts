import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import type AjvCore from 'ajv/dist/core';
import addFormats from 'ajv-formats';
import { closest, distance } from 'fastest-levenshtein';
import { isDeepStrictEqual } from 'node:util';
import { checkBackwardCompatibility } from './backward-compatibility';
import { readSchemaDirectory, type SchemaFile } from './schema-directory';
import { formatSchemaRef, parseSchemaRef, tryParseSchemaRef } from './schema-ref';
import {
  InvalidSchemaError,
  SchemaCompatibilityError,
  UnknownSchemaError,
} from './schema-registry.errors';
import { toSchemaValidator, type SchemaValidator } from './schema-validator';
import { SHIPPED_SCHEMAS } from './shipped-schemas';

const ID_BASE = 'https://switchboard.dev/schemas';
const DRAFT_2020_12 = [
  'https://json-schema.org/draft/2020-12/schema',
  'https://json-schema.org/draft/2020-12/schema#',
];
const DRAFT_07 = [
  'http://json-schema.org/draft-07/schema',
  'http://json-schema.org/draft-07/schema#',
];
const SHIPPED_ORIGIN = 'shipped with @switchboard/schema-registry';

interface RegisteredSchema {
  schema: object;
  validator: SchemaValidator;
  /** Where it came from (a file path), for error messages. */
  origin: string | undefined;
}

/**
 * Versioned JSON Schemas by reference (`canonical.order@1`), each compiled once into a validator.
 * New versions must stay backward compatible with the latest one of the same name.
 */
export class SchemaRegistry {
  private readonly entries = new Map<string, RegisteredSchema>();
  private readonly versions = new Map<string, number[]>();
  private draft2020: AjvCore | undefined;
  private draft07: AjvCore | undefined;

  /** Loads the canonical schemas shipped in this lib (and optionally extra directories). */
  static load(extraDirs: readonly string[] = []): SchemaRegistry {
    const registry = new SchemaRegistry();
    const shipped = Object.entries(SHIPPED_SCHEMAS).map(([ref, schema]) => ({
      ...parseSchemaRef(ref),
      ref,
      schema,
      file: SHIPPED_ORIGIN,
    }));
    const extra = extraDirs.flatMap((directory) => readSchemaDirectory(directory));
    // Shipped first, then each name in version order, so every version is checked against its predecessor.
    for (const file of [...inVersionOrder(shipped), ...inVersionOrder(extra)]) {
      registry.add(file.ref, file.schema, file.file);
    }
    return registry;
  }

  /** True when the reference is registered. */
  has(ref: string): boolean {
    return this.entries.has(ref);
  }

  /** Every registered reference, by name then version. */
  refs(): string[] {
    return [...this.versions.keys()]
      .sort()
      .flatMap((name) =>
        (this.versions.get(name) ?? []).map((version) => formatSchemaRef(name, version)),
      );
  }

  /** The registered schema (frozen); throws UnknownSchemaError naming the nearest known reference. */
  schema(ref: string): object {
    return this.entry(ref).schema;
  }

  /** Compiled once (ajv, allErrors, formats) and cached; the hot path calls the returned function per event. */
  validator(ref: string): SchemaValidator {
    return this.entry(ref).validator;
  }

  /** Registers a new version; throws SchemaCompatibilityError listing each breaking change if it would break consumers of the previous version. */
  register(ref: string, schema: object): void {
    this.add(ref, schema, undefined);
  }

  /** Highest registered version of a name (`canonical.order` → `canonical.order@1`), or undefined. */
  latest(name: string): string | undefined {
    const version = this.versions.get(name)?.at(-1);
    return version === undefined ? undefined : formatSchemaRef(name, version);
  }

  private add(ref: string, schema: object, origin: string | undefined): void {
    const where = origin === undefined ? ref : `${ref} (${origin})`;
    const { name, version } = parseSchemaRef(ref);
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      throw new InvalidSchemaError(`${where}: a schema must be a JSON object`);
    }
    const candidate = structuredClone(schema) as Record<string, unknown>;
    candidate.$id ??= `${ID_BASE}/${name}/${version}.json`;

    const existing = this.entries.get(ref);
    if (existing !== undefined) {
      if (isDeepStrictEqual(existing.schema, candidate)) return; // The same file seen twice is harmless.
      throw new InvalidSchemaError(
        `${where}: ${ref} is already registered${existing.origin === undefined ? '' : ` from ${existing.origin}`} with a different schema; ` +
          `a published version never changes: register the change as ${formatSchemaRef(name, this.nextVersion(name))}`,
      );
    }
    const latest = this.latest(name);
    const latestVersion = this.versions.get(name)?.at(-1);
    if (latestVersion !== undefined && version < latestVersion) {
      throw new InvalidSchemaError(
        `${where}: ${latest} is already registered; versions only move forward (next is ${formatSchemaRef(name, latestVersion + 1)})`,
      );
    }
    this.checkIdIsFree(candidate.$id, where);

    deepFreeze(candidate);
    const ajv = this.ajvFor(candidate.$schema, where);
    let validate: ValidateFunction;
    try {
      validate = ajv.compile(candidate);
    } catch (error) {
      ajv.removeSchema(candidate);
      throw new InvalidSchemaError(
        `${where} is not a valid JSON Schema: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const validator = toSchemaValidator(validate);
    try {
      checkExamples(candidate.examples, validator, where);
      if (latest !== undefined) {
        const issues = checkBackwardCompatibility(this.entry(latest).schema, candidate);
        if (issues.length > 0) throw new SchemaCompatibilityError(ref, latest, issues, origin);
      }
    } catch (error) {
      ajv.removeSchema(candidate); // Lets a corrected schema with the same $id be registered next.
      throw error;
    }

    this.entries.set(ref, { schema: candidate, validator, origin });
    this.versions.set(name, [...(this.versions.get(name) ?? []), version]);
  }

  private entry(ref: string): RegisteredSchema {
    const entry = this.entries.get(ref);
    if (entry === undefined) throw this.unknown(ref);
    return entry;
  }

  private unknown(ref: string): UnknownSchemaError {
    const parsed = tryParseSchemaRef(ref);
    const name = parsed?.name ?? ref;
    const latest = this.latest(name);
    if (latest !== undefined) {
      const message =
        parsed === undefined
          ? `unknown schema "${ref}": a reference names a version (did you mean "${latest}"?)`
          : `unknown schema "${ref}": ${name} has version ${(this.versions.get(name) ?? []).join(', ')} (did you mean "${latest}"?)`;
      return new UnknownSchemaError(ref, message, latest);
    }
    const known = this.refs();
    const suggestion =
      parsed === undefined
        ? this.latest(nearest(ref, [...this.versions.keys()]) ?? '')
        : nearest(ref, known);
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
    const listing = known.length === 0 ? 'no schema is registered' : `known: ${known.join(', ')}`;
    return new UnknownSchemaError(ref, `unknown schema "${ref}"${hint}; ${listing}`, suggestion);
  }

  private nextVersion(name: string): number {
    return (this.versions.get(name)?.at(-1) ?? 0) + 1;
  }

  private checkIdIsFree(id: unknown, where: string): void {
    if (typeof id !== 'string') throw new InvalidSchemaError(`${where}: $id must be a string URI`);
    for (const [ref, entry] of this.entries) {
      if ((entry.schema as Record<string, unknown>).$id === id) {
        throw new InvalidSchemaError(
          `${where}: $id ${JSON.stringify(id)} is already used by ${ref}; every version needs its own $id`,
        );
      }
    }
  }

  /** One ajv per draft, created on first use; draft 2020-12 when the schema does not say. */
  private ajvFor(draft: unknown, where: string): AjvCore {
    if (draft === undefined || DRAFT_2020_12.includes(draft as string)) {
      this.draft2020 ??= withFormats(
        new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }),
      );
      return this.draft2020;
    }
    if (DRAFT_07.includes(draft as string)) {
      this.draft07 ??= withFormats(
        new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }),
      );
      return this.draft07;
    }
    throw new InvalidSchemaError(
      `${where}: $schema ${JSON.stringify(draft)} is not supported; use ${DRAFT_2020_12[0]} or ${DRAFT_07[1]}`,
    );
  }
}

function withFormats(ajv: AjvCore): AjvCore {
  addFormats(ajv);
  return ajv;
}

function inVersionOrder<T extends Pick<SchemaFile, 'name' | 'version'>>(files: T[]): T[] {
  return [...files].sort((a, b) =>
    a.name === b.name ? a.version - b.version : a.name < b.name ? -1 : 1,
  );
}

/** A schema's own examples document it; one that fails its own schema would mislead every reader. */
function checkExamples(examples: unknown, validator: SchemaValidator, where: string): void {
  if (!Array.isArray(examples)) return;
  examples.forEach((example, index) => {
    const result = validator(example);
    if (!result.valid) {
      const issues = result.issues.map(
        (issue) => `${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`,
      );
      throw new InvalidSchemaError(
        `${where}: examples[${index}] does not match its own schema: ${issues.join('; ')}`,
      );
    }
  });
}

/** The candidate when it is a plausible typo of `value`, else undefined. */
function nearest(value: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const candidate = closest(value, [...candidates]);
  // A third of the length catches transpositions and dropped letters without suggesting unrelated names.
  return distance(value, candidate) <= Math.max(2, Math.floor(value.length / 3))
    ? candidate
    : undefined;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
