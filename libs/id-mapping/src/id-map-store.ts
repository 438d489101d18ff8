/** One stored pair of a namespace. */
export interface StoredIdPair {
  sourceId: string;
  targetId: string;
}

/** Where id maps live (Postgres in the runtime: IdMapRepository fits it as is). */
export interface IdMapStore {
  findBySource(namespace: string, sourceId: string): Promise<StoredIdPair | undefined>;
  findByTarget(namespace: string, targetId: string): Promise<StoredIdPair | undefined>;
  insertIfAbsent(
    namespace: string,
    sourceId: string,
    targetId: string,
  ): Promise<{ entry: StoredIdPair; created: boolean }>;
}
