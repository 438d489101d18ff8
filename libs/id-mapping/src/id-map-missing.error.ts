/** No entry for an id: a person has to map it (admin API `PUT /api/id-maps/...`) before the event can go on. */
export class IdMapMissingError extends Error {
  override readonly name = 'IdMapMissingError';
  /** The same code the fixtures' table lookups use, so runtime and `sb test` agree. */
  readonly code = 'LOOKUP_MISSING';

  constructor(
    readonly lookup: string,
    readonly id: string,
    hint: string,
  ) {
    super(`$lookup: no entry for id "${id}" in id map "${lookup}"; ${hint}`);
  }
}
