import { defineAction } from '@switchboard/connector-sdk';

import { amountText } from '../payoneer-amount';
import { programPath } from '../payoneer-paths';

export interface ProgramBalance {
  balance: string;
  currency: string;
  feesDue: string;
}

/** The program balance payouts are paid from: check it before sending a batch. */
export const getBalance = defineAction<Record<string, never>, ProgramBalance>({
  name: 'getBalance',
  title: 'Get the program balance',
  input: { type: 'object', additionalProperties: false, properties: {} },
  output: {
    type: 'object',
    required: ['balance', 'currency', 'feesDue'],
    properties: {
      balance: { type: 'string' },
      currency: { type: 'string' },
      feesDue: { type: 'string' },
    },
  },
  examples: [{ name: 'the program balance', input: {} }],
  async run(_input, { http, settings }) {
    const response = await http.get<{
      result: { balance: number | string; currency: string; fees_due?: number | string };
    }>(programPath(settings, 'balance'));
    const { balance, currency, fees_due: feesDue } = response.body.result;
    return { balance: amountText(balance), currency, feesDue: amountText(feesDue ?? 0) };
  },
});
