const MAX_ENTRIES = 1_000;

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * Decrypted secrets for a bounded time. Concurrent reads of one name share a single load, and a
 * load that was overtaken by `invalidate` (a write in this process) is not cached. Missing secrets
 * are not cached, so a value set on another instance is picked up on the next read.
 */
export class SecretCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<string | undefined>>();
  /** Bumped by every invalidation: a load started under an older generation must not be stored. */
  private generation = 0;

  lookup(name: string, now: number): string | undefined {
    const entry = this.entries.get(name);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now) return entry.value;
    this.entries.delete(name);
    return undefined;
  }

  /** Runs `read` once for all concurrent callers and caches a found value until `expiresAt`. */
  load(
    name: string,
    expiresAt: number,
    read: () => Promise<string | undefined>,
  ): Promise<string | undefined> {
    const pending = this.loading.get(name);
    if (pending !== undefined) return pending;
    const generation = this.generation;
    const load = read()
      .then((value) => {
        if (value !== undefined && generation === this.generation)
          this.store(name, value, expiresAt);
        return value;
      })
      .finally(() => {
        if (this.loading.get(name) === load) this.loading.delete(name);
      });
    this.loading.set(name, load);
    return load;
  }

  invalidate(name: string): void {
    this.generation += 1;
    this.entries.delete(name);
    this.loading.delete(name);
  }

  private store(name: string, value: string, expiresAt: number): void {
    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(name)) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(name, { value, expiresAt });
  }
}
