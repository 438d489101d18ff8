import { ConnectorError } from '@switchboard/connector-sdk';

/** Clarity's write envelope. */
export interface ClarityWriteEnvelope<T> {
  ActionSucceeded?: boolean;
  Messages?: unknown[];
  Result?: T | null;
}

/**
 * The `Result` of a Clarity write. `ActionSucceeded: false` arrives as HTTP 200 and is a
 * refusal all the same: raised as business ACTION_FAILED carrying Clarity's messages.
 */
export function clarityWriteResult<T>(envelope: ClarityWriteEnvelope<T>, what: string): T {
  const messages = (envelope.Messages ?? []).map((message) =>
    typeof message === 'string' ? message : JSON.stringify(message),
  );
  if (
    envelope.ActionSucceeded !== true ||
    envelope.Result === undefined ||
    envelope.Result === null
  ) {
    throw new ConnectorError(
      'business',
      `Clarity refused to ${what}: ${messages.join('; ') || 'ActionSucceeded is false, no message'}`,
      { code: 'ACTION_FAILED', details: { messages } },
    );
  }
  return envelope.Result;
}
