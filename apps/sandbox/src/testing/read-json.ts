/**
 * Reads a JSON answer in a test. Tests probe wire data they do not own the types of, so the
 * result is deliberately untyped, like any adapter to untyped input.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readJson(response: Response): Promise<any> {
  return response.json();
}
