import { defineAction } from '@switchboard/connector-sdk';

import { accountPath } from '../payoneer-paths';
import {
  RECEIVED_PAYMENT_SCHEMA,
  type ReceivedPayment,
  fetchIncomingTransactions,
  toReceivedPayment,
} from '../payoneer-received-payment';

export interface ListReceivedPaymentsInput {
  from?: string;
  to?: string;
  pageSize?: number;
  maxPages?: number;
}

/** Payments received into the merchant account (with fee and FX), newest first. */
export const listReceivedPayments = defineAction<
  ListReceivedPaymentsInput,
  { payments: ReceivedPayment[]; complete: boolean }
>({
  name: 'listReceivedPayments',
  title: 'List received payments',
  description: 'from/to are dates (YYYY-MM-DD) or ISO date-times; needs settings.accountId.',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: {
      from: { type: 'string', minLength: 10 },
      to: { type: 'string', minLength: 10 },
      pageSize: { type: 'integer', minimum: 1, maximum: 500 },
      maxPages: { type: 'integer', minimum: 1, maximum: 100 },
    },
  },
  output: {
    type: 'object',
    required: ['payments', 'complete'],
    properties: {
      payments: { type: 'array', items: RECEIVED_PAYMENT_SCHEMA },
      complete: { type: 'boolean' },
    },
  },
  examples: [{ name: 'everything received', input: {}, output: { complete: true } }],
  async run(input, { http, settings }) {
    const { transactions, complete } = await fetchIncomingTransactions(
      http,
      accountPath(settings, 'transactions'),
      {
        from: input.from,
        to: input.to,
        pageSize: input.pageSize ?? 100,
        maxPages: input.maxPages ?? 10,
      },
    );
    return { payments: transactions.map(toReceivedPayment), complete };
  },
});
