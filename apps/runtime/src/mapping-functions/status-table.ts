import { existsSync, readFileSync } from 'node:fs';
import { MappingFunctionError } from '@switchboard/flow-engine';
import { parse } from 'yaml';

/** The lookup namespace prefix that reads the status table instead of the id maps. */
export const STATUS_NAMESPACE_PREFIX = 'status.';

/**
 * `mappings/statuses.yaml`: per `<system>.<entity>`, each source status → canonical status.
 * Answers `$lookup("status.clarity.order", "Confirmed")`; an unknown status or table is a
 * MappingFunctionError that lists what is known.
 */
export class StatusTable {
  private constructor(
    readonly file: string,
    readonly tables: ReadonlyMap<string, ReadonlyMap<string, string>>,
  ) {}

  /** Reads and checks the file; a runtime whose mappings folder has none gets an empty table that says so on use. */
  static load(file: string): StatusTable {
    if (!existsSync(file)) return new StatusTable(file, new Map());
    const document: unknown = parse(readFileSync(file, 'utf8'));
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      throw new RangeError(`${file}: expected a map of <system>.<entity> tables`);
    }
    const tables = new Map<string, Map<string, string>>();
    for (const [name, table] of Object.entries(document)) {
      if (table === null || typeof table !== 'object' || Array.isArray(table)) {
        throw new RangeError(`${file}: ${name} must be a map of status → canonical status`);
      }
      const entries = new Map<string, string>();
      for (const [status, canonical] of Object.entries(table as Record<string, unknown>)) {
        if (typeof canonical !== 'string' || canonical === '') {
          throw new RangeError(`${file}: ${name}.${status} must be a status name, got ${JSON.stringify(canonical)}`);
        }
        entries.set(status, canonical);
      }
      tables.set(name, entries);
    }
    return new StatusTable(file, tables);
  }

  /** The canonical status for `value` in table `name`, or undefined for an unknown table or status. */
  find(name: string, value: string): string | undefined {
    return this.tables.get(name)?.get(value);
  }

  /** The canonical status for `value` in table `name` (`<system>.<entity>`). */
  lookup(name: string, value: string): string {
    const table = this.tables.get(name);
    if (table === undefined) {
      const known = [...this.tables.keys()];
      throw new MappingFunctionError(
        'LOOKUP_MISSING',
        `$lookup: no status table "${name}" in ${this.file}; known: ${known.length > 0 ? known.join(', ') : 'none'}`,
      );
    }
    const canonical = table.get(value);
    if (canonical === undefined) {
      throw new MappingFunctionError(
        'LOOKUP_MISSING',
        `$lookup: no entry for id "${value}" in id map "${STATUS_NAMESPACE_PREFIX}${name}" (an unknown ${name} status: add it to ${this.file}; known: ${[...table.keys()].join(', ')})`,
      );
    }
    return canonical;
  }
}
