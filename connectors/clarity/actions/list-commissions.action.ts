import { defineAction } from '@switchboard/connector-sdk';

import {
  CLARITY_LIST_INPUT,
  type ClarityRecord,
  clarityListSchema,
  clarityRecordSchema,
  fetchClarityPage,
} from '../clarity-records';
import { clarityPath, claritySettings } from '../clarity-settings';

export interface ListCommissionsInput {
  statusKey?: 'Unpaid' | 'Paid';
  typeKey?: string;
  accountId?: number;
  modifiedSince?: string;
  page?: number;
  pageSize?: number;
}

export interface CommissionList {
  commissions: ClarityRecord[];
  totalCount: number;
  totalPages: number;
  page: number;
}

/** Affiliate commissions and vendor balances (what is owed to whom), as Clarity sends them. */
export const listCommissions = defineAction<ListCommissionsInput, CommissionList>({
  name: 'listCommissions',
  title: 'List commissions / vendor balances',
  input: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...CLARITY_LIST_INPUT,
      statusKey: { enum: ['Unpaid', 'Paid'] },
      typeKey: { type: 'string', minLength: 1 },
      accountId: { type: 'integer', minimum: 1 },
    },
  },
  output: clarityListSchema('commissions', clarityRecordSchema()),
  examples: [{ name: 'unpaid commissions', input: { statusKey: 'Unpaid', pageSize: 10 } }],
  async run(input, { http, settings }) {
    const page = input.page ?? 1;
    const result = await fetchClarityPage<ClarityRecord>(
      http,
      clarityPath(settings, 'Accounts/Commissions'),
      {
        StatusKey: input.statusKey,
        TypeKey: input.typeKey,
        AccountID: input.accountId,
        ModifiedSince: input.modifiedSince,
      },
      page,
      input.pageSize ?? claritySettings(settings).pageSize,
    );
    return {
      commissions: result.Results,
      totalCount: result.TotalCount,
      totalPages: result.TotalPages,
      page: result.CurrentPage ?? page,
    };
  },
});
