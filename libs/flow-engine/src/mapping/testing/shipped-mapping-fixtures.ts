import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type MappingFixtureFile, readMappingFixtureFile } from '../mapping-fixture-file';
import { type MappingFunctions } from '../mapping-functions';
import { TableMappingFunctions } from '../table-mapping-functions';
import { UNCONFIGURED_MAPPING_FUNCTIONS } from '../unconfigured-mapping-functions';

export const MAPPINGS_DIR = resolve(__dirname, '../../../../../mappings');

/** The shipped mapping test files (`mappings/**\/*.test.yaml`), sorted. */
export function shippedFixtureFiles(): string[] {
  return readdirSync(MAPPINGS_DIR, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.test.yaml'))
    .map((path) => join(MAPPINGS_DIR, path))
    .sort();
}

/** A shipped test file, read and checked, with the mapping functions its tables answer. */
export function shippedFixture(file: string): {
  fixture: MappingFixtureFile;
  functions: MappingFunctions;
} {
  const fixture = readMappingFixtureFile(file);
  const functions =
    fixture.tables === undefined
      ? UNCONFIGURED_MAPPING_FUNCTIONS
      : new TableMappingFunctions(fixture.tables);
  return { fixture, functions };
}
