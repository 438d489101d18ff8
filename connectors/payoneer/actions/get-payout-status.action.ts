import { defineAction } from '@switchboard/connector-sdk';

import { programPath } from '../payoneer-paths';
import {
  PAYOUT_STATUS_SCHEMA,
  type PayoneerPayoutResult,
  type PayoutStatus,
  payoutStatusFrom,
} from '../payoneer-payout-status';

/** Reads a payout's status by its client reference id (unknown → business/PAYOUT_NOT_FOUND). */
export const getPayoutStatus = defineAction<{ clientReferenceId: string }, PayoutStatus>({
  name: 'getPayoutStatus',
  title: 'Get a payout status',
  input: {
    type: 'object',
    required: ['clientReferenceId'],
    additionalProperties: false,
    properties: { clientReferenceId: { type: 'string', minLength: 1 } },
  },
  output: PAYOUT_STATUS_SCHEMA,
  examples: [{ name: 'a seeded payout', input: { clientReferenceId: 'example-status-1' } }],
  async run(input, { http, settings }) {
    const response = await http.get<{ result: PayoneerPayoutResult }>(
      programPath(settings, `payouts/${encodeURIComponent(input.clientReferenceId)}/status`),
    );
    return payoutStatusFrom(input.clientReferenceId, response.body.result);
  },
});
