/**
 * A mapping test file (`<entity>.test.yaml`) that cannot be used. The message reads
 * `file:line:column path: problem`, e.g. `mappings/a-to-b/order.test.yaml:12:7 cases[1].expectError: must be a string`.
 */
export class MappingFixtureError extends Error {
  override readonly name = 'MappingFixtureError';

  constructor(
    readonly file: string,
    /** YAML path like `cases[1].input`; empty when the file as a whole is wrong. */
    readonly path: string,
    readonly line: number,
    readonly column: number,
    problem: string,
  ) {
    super(`${file}:${line}:${column} ${path === '' ? '' : `${path}: `}${problem}`);
  }
}
