import { closest, distance } from 'fastest-levenshtein';

/** ` (did you mean "x"?)` when a candidate is a plausible typo of `value`, else an empty string. */
export function didYouMean(value: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  const nearest = closest(value, [...candidates]);
  // Measure the typo against the part after the shared prefix, so `canonical.nothing@1` is not
  // "close" to `canonical.order@1` just because both are long and start alike.
  let shared = 0;
  while (shared < value.length && value[shared] === nearest[shared]) shared += 1;
  const tolerance = Math.max(2, Math.floor((value.length - shared) / 3));
  return distance(value, nearest) <= tolerance ? ` (did you mean "${nearest}"?)` : '';
}
