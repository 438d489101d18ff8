import { defineAction } from '@switchboard/connector-sdk';

import { amountText } from '../payoneer-amount';
import { accountPath } from '../payoneer-paths';

export interface AccountBalance {
  currency: string;
  /** Available to pay out now, as a decimal string. */
  available: string;
  status?: string;
}

interface BalanceItem {
  currency?: string;
  available_balance?: number | string;
  status_name?: string;
}

/**
 * The merchant account's balances per currency (`settings.accountId`): what mass payouts in each
 * currency are paid from. Check it before each chunk.
 */
export const getAccountBalances = defineAction<
  Record<string, never>,
  { balances: AccountBalance[] }
>({
  name: 'getAccountBalances',
  title: 'Get the account balances per currency',
  input: { type: 'object', additionalProperties: false, properties: {} },
  output: {
    type: 'object',
    required: ['balances'],
    properties: {
      balances: {
        type: 'array',
        items: {
          type: 'object',
          required: ['currency', 'available'],
          properties: {
            currency: { type: 'string' },
            available: { type: 'string' },
            status: { type: 'string' },
          },
        },
      },
    },
  },
  examples: [{ name: 'the account balances', input: {} }],
  async run(_input, { http, settings }) {
    const response = await http.get<{ result?: { items?: BalanceItem[] } }>(
      accountPath(settings, 'balances'),
    );
    const items = response.body?.result?.items ?? [];
    return {
      balances: items
        .filter((item) => typeof item.currency === 'string')
        .map((item) => ({
          currency: String(item.currency),
          available: amountText(item.available_balance ?? 0),
          ...(item.status_name === undefined ? {} : { status: item.status_name }),
        })),
    };
  },
});
