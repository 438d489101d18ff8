/**
 * Remembers delivery ids (or signatures) already accepted, so a captured webhook cannot be
 * replayed within its signature's validity window. Entries only need to outlive that window:
 * older deliveries are refused as expired anyway.
 */
export interface ReplayCache {
  /** Records `id` until `expiresAt` (epoch ms); false when it was already recorded (a replay). */
  remember(id: string, expiresAt: number): Promise<boolean>;
}

/**
 * A bounded in-process cache: at most `maxEntries` ids; when full, the oldest id is forgotten
 * first. Not shared between runtime instances; the runtime may provide a shared one.
 */
export class InMemoryReplayCache implements ReplayCache {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError(`maxEntries must be an integer >= 1, got ${maxEntries}`);
  }

  async remember(id: string, expiresAt: number): Promise<boolean> {
    const now = this.now();
    const known = this.expiries.get(id);
    if (known !== undefined && known > now) return false;
    this.expiries.delete(id);
    this.evict(now);
    this.expiries.set(id, expiresAt);
    return true;
  }

  /** How many ids are held (for tests and metrics). */
  get size(): number {
    return this.expiries.size;
  }

  private evict(now: number): void {
    // Ids arrive roughly in expiry order, so expired ones gather at the front of the Map.
    for (const [id, expiresAt] of this.expiries) {
      if (expiresAt > now && this.expiries.size < this.maxEntries) break;
      this.expiries.delete(id);
    }
  }
}
