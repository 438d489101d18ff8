/** Bounds on one evaluation, so a runaway mapping fails that event instead of stalling the worker. */
export interface MappingLimits {
  /** Wall-clock budget of one evaluation, including waits on $lookup / $fx. */
  timeoutMs: number;
  /**
   * Most calls in flight at once of the mapping's own functions that may recurse: the nesting of
   * a recursion. Functions that cannot recurse (a `$money` helper) are not counted.
   */
  maxDepth: number;
}

export const DEFAULT_MAPPING_LIMITS: Readonly<MappingLimits> = Object.freeze({
  timeoutMs: 1000,
  maxDepth: 500,
});

/** The defaults overlaid with `overrides`; a limit that is not a positive number is a RangeError naming it. */
export function resolveMappingLimits(overrides: Partial<MappingLimits> = {}): MappingLimits {
  const limits = { ...DEFAULT_MAPPING_LIMITS, ...overrides };
  for (const name of ['timeoutMs', 'maxDepth'] as const) {
    const value = limits[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`mapping limit ${name} must be a positive number, got ${String(value)}`);
    }
  }
  return limits;
}
