/** Outcome of a Clarity write: business failures are data, answered as 200 with ActionSucceeded false. */
export type ClarityActionResult<T> = { ok: true; result: T } | { ok: false; messages: string[] };

/** The `{ActionSucceeded, Messages, Result}` envelope of Clarity writes. */
export function toActionResponse<T, W>(outcome: ClarityActionResult<T>, toWire: (value: T) => W) {
  return outcome.ok
    ? { ActionSucceeded: true, Messages: [] as string[], Result: toWire(outcome.result) }
    : { ActionSucceeded: false, Messages: outcome.messages, Result: null };
}

/** A successful outcome. */
export const succeeded = <T>(result: T): ClarityActionResult<T> => ({ ok: true, result });
/** A business failure with its messages. */
export const failed = <T>(...messages: string[]): ClarityActionResult<T> => ({
  ok: false,
  messages,
});
