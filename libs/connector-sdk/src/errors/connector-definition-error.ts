/**
 * A connector, action or trigger was declared wrongly (bad name, schema that does not compile,
 * duplicate names). Raised at define time, so a broken plugin fails when it is loaded, not
 * when a flow first calls it.
 */
export class ConnectorDefinitionError extends Error {
  override readonly name = 'ConnectorDefinitionError';

  constructor(
    /** What was being defined, e.g. `connector "payoneer"` or `action "submitPayout"`. */
    readonly subject: string,
    /** Every problem found, each naming its path (`actions[1].input: ...`). */
    readonly problems: readonly string[],
  ) {
    super(`${subject} is invalid:\n  - ${problems.join('\n  - ')}`);
  }
}
