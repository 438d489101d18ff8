import { defineAction } from '@switchboard/connector-sdk';

import { type ClarityRecord, type ClarityPage, clarityRecordSchema } from '../clarity-records';
import { clarityPath } from '../clarity-settings';

/** What the merchant owes an affiliate or vendor, and the unpaid records making it up. */
export interface AccountBalance {
  accountId: number;
  accountKey?: string;
  typeKey: string;
  name?: string;
  currency?: string;
  /** Decimal string, as Clarity's `BalanceOwed`. */
  balanceOwed: string;
  /** Unpaid commissions / vendor balances, as Clarity sends them. */
  unpaid: ClarityRecord[];
}

/** The balance owed to one account (by ID or CustomKey) with its unpaid commissions. */
export const getAccountBalance = defineAction<{ id: number } | { key: string }, AccountBalance>({
  name: 'getAccountBalance',
  title: 'Get an affiliate or vendor balance',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: { id: { type: 'integer', minimum: 1 }, key: { type: 'string', minLength: 1 } },
    oneOf: [{ required: ['id'] }, { required: ['key'] }],
  },
  output: {
    type: 'object',
    required: ['accountId', 'typeKey', 'balanceOwed', 'unpaid'],
    properties: {
      accountId: { type: 'integer' },
      accountKey: { type: 'string' },
      typeKey: { type: 'string' },
      name: { type: 'string' },
      currency: { type: 'string' },
      balanceOwed: { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?$' },
      unpaid: { type: 'array', items: clarityRecordSchema(['Amount']) },
    },
  },
  examples: [{ name: 'the first vendor', input: { key: 'VEND-0001' } }],
  async run(input, { http, settings }) {
    const route =
      'id' in input
        ? `Accounts/Account/ID/${input.id}`
        : `Accounts/Account/Key/${encodeURIComponent(input.key)}`;
    const account = (await http.get<ClarityRecord>(clarityPath(settings, route))).body;
    const unpaid: ClarityRecord[] = [];
    for (let page = 1; ; page += 1) {
      const response = await http.get<ClarityPage<ClarityRecord>>(
        clarityPath(settings, 'Accounts/Commissions'),
        {
          query: {
            AccountID: account.ID,
            StatusKey: 'Unpaid',
            'Paging.StartIndex': page,
            'Paging.Size': 1000,
          },
        },
      );
      unpaid.push(...response.body.Results);
      if (page >= response.body.TotalPages) break;
    }
    const owed = account['BalanceOwed'];
    return {
      accountId: account.ID,
      ...(typeof account.CustomKey === 'string' ? { accountKey: account.CustomKey } : {}),
      typeKey: typeof account['TypeKey'] === 'string' ? account['TypeKey'] : 'Unknown',
      ...(typeof account['Name'] === 'string' ? { name: account['Name'] } : {}),
      ...(typeof account['CurrencyKey'] === 'string' ? { currency: account['CurrencyKey'] } : {}),
      balanceOwed:
        typeof owed === 'number' ? owed.toFixed(2) : typeof owed === 'string' ? owed : '0.00',
      unpaid,
    };
  },
});
