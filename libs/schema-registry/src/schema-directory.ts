import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatSchemaRef, SCHEMA_NAME_PATTERN } from './schema-ref';
import { InvalidSchemaError } from './schema-registry.errors';

/** One schema file found in a directory, with the reference its location gives it. */
export interface SchemaFile {
  ref: string;
  name: string;
  version: number;
  file: string;
  schema: object;
}

const VERSION_FILE = /^([1-9][0-9]{0,8})\.json$/;

/**
 * Reads `<dir>/<name>/<version>.json` files (e.g. `schemas/canonical.order/1.json`). Files that are
 * not JSON are skipped (READMEs); a JSON file anywhere else, or one that does not parse, is an error.
 */
export function readSchemaDirectory(directory: string): SchemaFile[] {
  const root = resolve(directory);
  const found: SchemaFile[] = [];
  for (const name of listDirectory(root)) {
    const path = join(root, name);
    if (!statSync(path).isDirectory()) {
      if (name.endsWith('.json')) {
        throw new InvalidSchemaError(
          `${path}: schema files go in <name>/<version>.json, e.g. ${join(root, 'canonical.order', '1.json')}`,
        );
      }
      continue;
    }
    if (!SCHEMA_NAME_PATTERN.test(name)) {
      throw new InvalidSchemaError(
        `${path}: "${name}" is not a schema name: use lowercase words joined by dots or dashes, e.g. canonical.journal-entry`,
      );
    }
    for (const entry of listDirectory(path)) {
      if (!entry.endsWith('.json')) continue;
      const file = join(path, entry);
      const version = VERSION_FILE.exec(entry)?.[1];
      if (version === undefined) {
        throw new InvalidSchemaError(
          `${file}: a schema file is named after its version, a positive integer (1.json, 2.json…)`,
        );
      }
      found.push({
        ref: formatSchemaRef(name, Number(version)),
        name,
        version: Number(version),
        file,
        schema: parseSchemaFile(file),
      });
    }
  }
  return found;
}

function listDirectory(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch (error) {
    throw new InvalidSchemaError(
      `cannot read schema directory ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function parseSchemaFile(file: string): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidSchemaError(`${file}: not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidSchemaError(`${file}: a schema must be a JSON object`);
  }
  return parsed;
}
