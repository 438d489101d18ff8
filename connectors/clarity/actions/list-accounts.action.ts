import { defineAction } from '@switchboard/connector-sdk';

import {
  CLARITY_LIST_INPUT,
  type ClarityRecord,
  clarityListSchema,
  clarityRecordSchema,
  fetchClarityPage,
} from '../clarity-records';
import { clarityPath, claritySettings } from '../clarity-settings';

export interface ListAccountsInput {
  typeKey?: 'Customer' | 'Vendor' | 'Affiliate';
  modifiedSince?: string;
  page?: number;
  pageSize?: number;
}

export interface AccountList {
  accounts: ClarityRecord[];
  totalCount: number;
  totalPages: number;
  page: number;
}

/** Accounts (customers, vendors, affiliates) with `BalanceOwed`, as Clarity sends them. */
export const listAccounts = defineAction<ListAccountsInput, AccountList>({
  name: 'listAccounts',
  title: 'List accounts',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...CLARITY_LIST_INPUT,
      typeKey: { enum: ['Customer', 'Vendor', 'Affiliate'] },
    },
  },
  output: clarityListSchema('accounts', clarityRecordSchema(['TypeKey'])),
  examples: [
    { name: 'vendors', input: { typeKey: 'Vendor' } },
    { name: 'affiliates', input: { typeKey: 'Affiliate', pageSize: 10 } },
  ],
  async run(input, { http, settings }) {
    const page = input.page ?? 1;
    const result = await fetchClarityPage<ClarityRecord>(
      http,
      clarityPath(settings, 'Accounts/Accounts'),
      { TypeKey: input.typeKey, ModifiedSince: input.modifiedSince },
      page,
      input.pageSize ?? claritySettings(settings).pageSize,
    );
    return {
      accounts: result.Results,
      totalCount: result.TotalCount,
      totalPages: result.TotalPages,
      page: result.CurrentPage ?? page,
    };
  },
});
