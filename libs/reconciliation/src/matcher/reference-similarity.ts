import { distance } from 'fastest-levenshtein';

/** Upper-case letters and digits only: "so-2024/10234 " and "SO202410234" are the same reference. */
export function normalizeReference(reference: string): string {
  return reference.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** The parts of a free-text reference that may each name an order ("SO-1, SO-2", "Order SO-1"). */
export function referenceTokens(reference: string): string[] {
  return reference
    .split(/[\s,;&+/|]+/)
    .map(normalizeReference)
    .filter((token) => token.length >= 4);
}

/** 1 − Levenshtein distance / longer length, on normalised references; 1 when equal. */
export function referenceSimilarity(a: string, b: string): number {
  const left = normalizeReference(a);
  const right = normalizeReference(b);
  if (left === '' || right === '') return 0;
  if (left === right) return 1;
  return 1 - distance(left, right) / Math.max(left.length, right.length);
}
