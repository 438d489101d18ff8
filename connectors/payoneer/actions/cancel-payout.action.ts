import { defineAction } from '@switchboard/connector-sdk';

import { programPath } from '../payoneer-paths';

export interface CancelPayoutOutput {
  clientReferenceId: string;
  /** Payoneer cancels asynchronously: watch the status or the CancelPayout notification. */
  requested: true;
  description: string;
}

/** Asks Payoneer to cancel a payout not yet transferred. */
export const cancelPayout = defineAction<{ clientReferenceId: string }, CancelPayoutOutput>({
  name: 'cancelPayout',
  title: 'Cancel a payout',
  input: {
    type: 'object',
    required: ['clientReferenceId'],
    additionalProperties: false,
    properties: { clientReferenceId: { type: 'string', minLength: 1 } },
  },
  output: {
    type: 'object',
    required: ['clientReferenceId', 'requested', 'description'],
    properties: {
      clientReferenceId: { type: 'string' },
      requested: { const: true },
      description: { type: 'string' },
    },
  },
  examples: [{ name: 'a pending payout', input: { clientReferenceId: 'example-cancel-1' } }],
  async run(input, { http, settings }) {
    const response = await http.put<{ result?: { description?: unknown } }>(
      programPath(settings, `payouts/${encodeURIComponent(input.clientReferenceId)}/cancel`),
    );
    const description = response.body?.result?.description;
    return {
      clientReferenceId: input.clientReferenceId,
      requested: true,
      description: typeof description === 'string' ? description : 'cancel requested',
    };
  },
});
