import { isDeepStrictEqual } from 'node:util';
import { diff } from 'jest-diff';
import { type CompiledMapping } from './compiled-mapping';
import { type MappingFixtureCase, readMappingFixtureFile } from './mapping-fixture-file';
import { MappingEngine } from './mapping-engine';
import { type MappingLimits } from './mapping-limits';
import { TableMappingFunctions } from './table-mapping-functions';
import { UNCONFIGURED_MAPPING_FUNCTIONS } from './unconfigured-mapping-functions';

/** The outcome of one case of a mapping test file. */
export interface MappingFixtureResult {
  file: string;
  caseName: string;
  passed: boolean;
  /** On failure: a diff of expected and received output, or the error that was not expected. */
  message?: string;
}

const plain = (text: string): string => text;
const DIFF_OPTIONS = {
  aAnnotation: 'Expected',
  bAnnotation: 'Received',
  aColor: plain,
  bColor: plain,
  changeColor: plain,
  commonColor: plain,
  patchColor: plain,
};

/**
 * Runs every case of a mapping test file against its mapping, with the file's `functions:`
 * tables behind $lookup/$fx (or none: then they fail loudly). Throws MappingFixtureError for a
 * malformed test file and MappingCompileError when the mapping does not compile.
 */
export async function runMappingFixtures(
  testFile: string,
  options: { limits?: Partial<MappingLimits> } = {},
): Promise<MappingFixtureResult[]> {
  const fixture = readMappingFixtureFile(testFile);
  const functions =
    fixture.tables === undefined
      ? UNCONFIGURED_MAPPING_FUNCTIONS
      : new TableMappingFunctions(fixture.tables);
  const mapping = new MappingEngine(functions, options.limits).compileFile(fixture.mappingPath);
  const results: MappingFixtureResult[] = [];
  for (const fixtureCase of fixture.cases) {
    const failure = await failureOf(mapping, fixtureCase);
    results.push({
      file: testFile,
      caseName: fixtureCase.name,
      passed: failure === undefined,
      ...(failure === undefined ? {} : { message: failure }),
    });
  }
  return results;
}

/** Why the case failed, or undefined when it passed. */
async function failureOf(
  mapping: CompiledMapping,
  fixtureCase: MappingFixtureCase,
): Promise<string | undefined> {
  let output: unknown;
  try {
    output = await mapping.evaluate(fixtureCase.input, fixtureCase.bindings);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!('errorContaining' in fixtureCase.expect)) return `unexpected error: ${message}`;
    if (message.includes(fixtureCase.expect.errorContaining)) return undefined;
    return `expected an error containing:\n  ${fixtureCase.expect.errorContaining}\nbut the error was:\n  ${message}`;
  }
  if ('errorContaining' in fixtureCase.expect) {
    return `expected an error containing:\n  ${fixtureCase.expect.errorContaining}\nbut the mapping returned:\n${describeOutput(output)}`;
  }
  if (isDeepStrictEqual(output, fixtureCase.expect.result)) return undefined;
  return (
    diff(fixtureCase.expect.result, output, DIFF_OPTIONS) ??
    `expected ${describeOutput(fixtureCase.expect.result)}\nreceived ${describeOutput(output)}`
  );
}

function describeOutput(value: unknown): string {
  return value === undefined
    ? '(nothing: the mapping matched nothing in the input)'
    : JSON.stringify(value, null, 2);
}
