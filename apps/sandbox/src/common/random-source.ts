import { SeededRandom } from './seeded-random';

/**
 * Hands out one independent seeded stream per purpose, so that a fault rule's coin flips
 * do not shift when, say, a scenario draws one more random name.
 */
export class RandomSource {
  private readonly streams = new Map<string, SeededRandom>();

  constructor(private seedValue: number) {}

  /** The seed in use. */
  get seed(): number {
    return this.seedValue;
  }

  /** The stream for a purpose, created on first use. */
  stream(label: string): SeededRandom {
    let stream = this.streams.get(label);
    if (!stream) {
      stream = new SeededRandom(this.seedValue, label);
      this.streams.set(label, stream);
    }
    return stream;
  }

  /** Restarts every stream, optionally from a new seed. */
  reseed(seed: number = this.seedValue): void {
    this.seedValue = seed;
    this.streams.clear();
  }
}
