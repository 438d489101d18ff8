import { defineAction } from '@switchboard/connector-sdk';

import { erpSettings } from '../erp-settings';

/** An ERP account, camelCase. */
export interface ErpAccount {
  name: string;
  accountName: string;
  rootType: string;
  accountType?: string;
  accountCurrency?: string;
  isGroup: boolean;
  company: string;
}

export interface GetAccountsInput {
  rootType?: 'Asset' | 'Liability' | 'Income' | 'Expense' | 'Equity';
  accountType?: string;
  includeGroups?: boolean;
}

interface AccountDoc {
  name: string;
  account_name?: string;
  root_type?: string;
  account_type?: string;
  account_currency?: string;
  is_group?: number;
  company?: string;
}

/** Lists the company's accounts (leaf accounts by default): to check the configured names exist. */
export const getAccounts = defineAction<GetAccountsInput, { accounts: ErpAccount[] }>({
  name: 'getAccounts',
  title: 'List the chart of accounts',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: {
      rootType: { type: 'string', enum: ['Asset', 'Liability', 'Income', 'Expense', 'Equity'] },
      accountType: { type: 'string', minLength: 1 },
      includeGroups: { type: 'boolean' },
    },
  },
  output: {
    type: 'object',
    required: ['accounts'],
    properties: {
      accounts: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'accountName', 'rootType', 'isGroup', 'company'],
          properties: {
            name: { type: 'string' },
            accountName: { type: 'string' },
            rootType: { type: 'string' },
            accountType: { type: 'string' },
            accountCurrency: { type: 'string' },
            isGroup: { type: 'boolean' },
            company: { type: 'string' },
          },
        },
      },
    },
  },
  examples: [
    { name: 'expense accounts', input: { rootType: 'Expense' } },
    { name: 'bank accounts', input: { accountType: 'Bank' } },
  ],
  async run(input, { http, settings }) {
    const filters: unknown[][] = [['company', '=', erpSettings(settings).company]];
    if (input.rootType !== undefined) filters.push(['root_type', '=', input.rootType]);
    if (input.accountType !== undefined) filters.push(['account_type', '=', input.accountType]);
    if (input.includeGroups !== true) filters.push(['is_group', '=', 0]);
    const response = await http.get<{ data: AccountDoc[] }>('/api/resource/Account', {
      query: {
        fields: JSON.stringify([
          'name',
          'account_name',
          'root_type',
          'account_type',
          'account_currency',
          'is_group',
          'company',
        ]),
        filters: JSON.stringify(filters),
        order_by: 'name asc',
        limit_page_length: 0,
      },
    });
    return {
      accounts: response.body.data.map((doc) => ({
        name: doc.name,
        accountName: doc.account_name ?? doc.name,
        rootType: doc.root_type ?? '',
        ...(doc.account_type ? { accountType: doc.account_type } : {}),
        ...(doc.account_currency ? { accountCurrency: doc.account_currency } : {}),
        isGroup: doc.is_group === 1,
        company: doc.company ?? '',
      })),
    };
  },
});
