import { defineAction } from '@switchboard/connector-sdk';

import { type ClarityRecord, clarityRecordSchema } from '../clarity-records';
import { clarityPath } from '../clarity-settings';
import { type ClarityWriteEnvelope, clarityWriteResult } from '../clarity-write-result';

/**
 * Clarity's own field names, as the canonical-to-clarity commission mapping produces them:
 * `{ID, StatusKey: "Paid" | "Unpaid", PaymentReference?}`.
 */
export interface UpdateCommissionStatusInput {
  ID: number;
  StatusKey: 'Paid' | 'Unpaid';
  PaymentReference?: string;
}

/** Marks an affiliate commission or vendor balance Paid / Unpaid with the payout that paid it. */
export const updateCommissionStatus = defineAction<UpdateCommissionStatusInput, ClarityRecord>({
  name: 'updateCommissionStatus',
  title: 'Update a commission / vendor balance status',
  input: {
    type: 'object',
    required: ['ID', 'StatusKey'],
    additionalProperties: false,
    properties: {
      ID: { type: 'integer', minimum: 1 },
      StatusKey: { enum: ['Paid', 'Unpaid'] },
      PaymentReference: { type: 'string', minLength: 1 },
    },
  },
  output: clarityRecordSchema(['StatusKey']),
  examples: [
    {
      name: 'mark the first commission unpaid',
      input: { ID: 1, StatusKey: 'Unpaid' },
      output: { ID: 1, StatusKey: 'Unpaid' },
    },
  ],
  async run(input, { http, settings }) {
    const response = await http.put<ClarityWriteEnvelope<ClarityRecord>>(
      clarityPath(settings, 'Accounts/Commission/Update'),
      input,
    );
    return clarityWriteResult(response.body, `set commission ${input.ID} to "${input.StatusKey}"`);
  },
});
