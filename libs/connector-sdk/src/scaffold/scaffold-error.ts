/** The scaffold refused to generate (bad id, target folder not empty). */
export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';
}
