import { defineAction, isConnectorError } from '@switchboard/connector-sdk';

import { programPath } from '../payoneer-paths';

/** One payout of a batch, camelCase; `clientReferenceId` is Payoneer's idempotency key. */
export interface PayoutItem {
  clientReferenceId: string;
  payeeId: string;
  amount: string | number;
  currency: string;
  description: string;
  payoutDate?: string;
  groupId?: string;
}

export interface SubmitPayoutsOutput {
  /** Payoneer's answer, e.g. "Payments Created": accepted, not paid (watch the status). */
  result: string;
  /** References Payoneer accepted now. */
  accepted: string[];
  /** References Payoneer already had (an earlier attempt got through): not paid twice. */
  alreadySubmitted: string[];
}

interface ExistingPayoutItem {
  target?: unknown;
  value?: unknown;
}

/**
 * Submits a mass payout batch. Safe to repeat: a reference Payoneer already holds is reported
 * in `alreadySubmitted` and the rest of the batch is sent again without it.
 */
export const submitPayouts = defineAction<{ payouts: PayoutItem[] }, SubmitPayoutsOutput>({
  name: 'submitPayouts',
  title: 'Submit a mass payout batch',
  description:
    'Insufficient funds fails the whole batch as business/INSUFFICIENT_FUNDS; nothing is created, so the same references can be resubmitted once funded.',
  input: {
    type: 'object',
    required: ['payouts'],
    additionalProperties: false,
    properties: {
      payouts: {
        type: 'array',
        minItems: 1,
        maxItems: 500,
        items: {
          type: 'object',
          required: ['clientReferenceId', 'payeeId', 'amount', 'currency', 'description'],
          additionalProperties: false,
          properties: {
            clientReferenceId: { type: 'string', minLength: 1, maxLength: 128 },
            payeeId: { type: 'string', minLength: 1 },
            amount: {
              oneOf: [
                { type: 'string', pattern: '^[0-9]+(\\.[0-9]{1,2})?$' },
                { type: 'number', exclusiveMinimum: 0 },
              ],
            },
            currency: { type: 'string', pattern: '^[A-Z]{3}$' },
            description: { type: 'string', minLength: 1 },
            payoutDate: { type: 'string', format: 'date' },
            groupId: { type: 'string', minLength: 1 },
          },
        },
      },
    },
  },
  output: {
    type: 'object',
    required: ['result', 'accepted', 'alreadySubmitted'],
    properties: {
      result: { type: 'string' },
      accepted: { type: 'array', items: { type: 'string' } },
      alreadySubmitted: { type: 'array', items: { type: 'string' } },
    },
  },
  examples: [
    {
      name: 'a vendor payout',
      input: {
        payouts: [
          {
            clientReferenceId: 'example-payout-1',
            payeeId: 'VEND-0001',
            amount: '12.50',
            currency: 'USD',
            description: 'Vendor balance',
          },
        ],
      },
    },
  ],
  async run(input, { http, settings }) {
    const path = programPath(settings, 'masspayouts');
    const send = (items: PayoutItem[]) =>
      http.post<{ result?: unknown }>(
        path,
        {
          Payments: items.map((item) => ({
            client_reference_id: item.clientReferenceId,
            payee_id: item.payeeId,
            // A decimal string keeps cents exact; Payoneer accepts strings and numbers.
            amount: typeof item.amount === 'number' ? item.amount.toFixed(2) : item.amount,
            currency: item.currency,
            description: item.description,
            ...(item.payoutDate === undefined ? {} : { payout_date: item.payoutDate }),
            ...(item.groupId === undefined ? {} : { group_id: item.groupId }),
          })),
        },
        // client_reference_id makes a repeat harmless: Payoneer refuses a known reference.
        { idempotent: true },
      );
    let items = input.payouts;
    const alreadySubmitted: string[] = [];
    // Each round drops at least one reference, so this ends.
    for (;;) {
      try {
        const response = await send(items);
        return {
          result: typeof response.body?.result === 'string' ? response.body.result : 'accepted',
          accepted: items.map((item) => item.clientReferenceId),
          alreadySubmitted,
        };
      } catch (error) {
        const existing = existingReferences(error);
        const known = items.filter((item) => existing.has(item.clientReferenceId));
        if (known.length === 0) throw error;
        alreadySubmitted.push(...known.map((item) => item.clientReferenceId));
        items = items.filter((item) => !existing.has(item.clientReferenceId));
        if (items.length === 0)
          return { result: 'already submitted', accepted: [], alreadySubmitted };
      }
    }
  },
});

/** The references a "Payout already exists" refusal names. */
function existingReferences(error: unknown): Set<string> {
  if (!isConnectorError(error) || error.code !== 'PAYOUT_ALREADY_EXISTS') return new Set();
  const items = (error.details?.['errors'] ?? []) as ExistingPayoutItem[];
  return new Set(
    items
      .filter((item) => item.target === 'client_reference_id' && typeof item.value === 'string')
      .map((item) => item.value as string),
  );
}
