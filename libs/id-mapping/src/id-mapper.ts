import { type IdMapNamespace } from './id-map-namespace';
import { IdMapMissingError } from './id-map-missing.error';
import { type IdMapStore } from './id-map-store';

interface ResolvedLookup {
  namespace: string;
  direction: 'forward' | 'reverse';
  firstSight: boolean;
}

/**
 * Answers `$lookup(name, id)`: a declared namespace's forward or reverse name, or any other
 * namespace an operator filled through the API (forward only). Never guesses: a missing entry
 * is an IdMapMissingError unless the namespace creates entries on first sight.
 */
export class IdMapper {
  private readonly lookups = new Map<string, ResolvedLookup>();

  constructor(
    private readonly store: IdMapStore,
    namespaces: readonly IdMapNamespace[],
  ) {
    for (const namespace of namespaces) {
      this.declare(namespace.name, {
        namespace: namespace.name,
        direction: 'forward',
        firstSight: namespace.firstSight === 'same-id',
      });
      if (namespace.reverseName !== undefined) {
        this.declare(namespace.reverseName, { namespace: namespace.name, direction: 'reverse', firstSight: false });
      }
    }
  }

  /** The mapped id; creates the entry on first sight where the namespace says so. */
  async lookup(name: string, id: string): Promise<string> {
    const lookup = this.lookups.get(name) ?? { namespace: name, direction: 'forward', firstSight: false };
    if (lookup.direction === 'reverse') {
      const entry = await this.store.findByTarget(lookup.namespace, id);
      if (entry !== undefined) return entry.sourceId;
      throw new IdMapMissingError(
        name,
        id,
        `no ${lookup.namespace} entry has target "${id}": map it with PUT /api/id-maps/${lookup.namespace}/<source id>`,
      );
    }
    const entry = await this.store.findBySource(lookup.namespace, id);
    if (entry !== undefined) return entry.targetId;
    if (lookup.firstSight) return (await this.store.insertIfAbsent(lookup.namespace, id, id)).entry.targetId;
    throw new IdMapMissingError(name, id, `map it with PUT /api/id-maps/${lookup.namespace}/${encodeURIComponent(id)}`);
  }

  private declare(name: string, lookup: ResolvedLookup): void {
    if (this.lookups.has(name)) throw new RangeError(`id map name "${name}" is declared twice`);
    this.lookups.set(name, lookup);
  }
}
