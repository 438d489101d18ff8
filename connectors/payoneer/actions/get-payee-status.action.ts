import { defineAction } from '@switchboard/connector-sdk';

import { programPath } from '../payoneer-paths';

export interface PayeeStatus {
  payeeId: string;
  /** 0 PENDING, 1 ACTIVE, 99 INACTIVE. */
  statusType: number;
  status: 'PENDING' | 'ACTIVE' | 'INACTIVE' | 'UNKNOWN';
  /** Payoneer pays this payee: ACTIVE with an account. */
  payable: boolean;
  accountId?: string;
  registrationDate?: string;
  payoutMethod?: { type?: string; currency?: string };
}

const STATUS_NAMES: Record<number, PayeeStatus['status']> = {
  0: 'PENDING',
  1: 'ACTIVE',
  99: 'INACTIVE',
};

interface PayeeStatusResult {
  account_id?: string | number | null;
  status?: { type?: number; description?: string };
  registration_date?: string | null;
  payout_method?: { type?: string; currency?: string } | null;
}

/** A payee's registration status (unknown payee → business/PAYEE_NOT_FOUND). */
export const getPayeeStatus = defineAction<{ payeeId: string }, PayeeStatus>({
  name: 'getPayeeStatus',
  title: 'Get a payee status',
  input: {
    type: 'object',
    required: ['payeeId'],
    additionalProperties: false,
    properties: { payeeId: { type: 'string', minLength: 1 } },
  },
  output: {
    type: 'object',
    required: ['payeeId', 'statusType', 'status', 'payable'],
    properties: {
      payeeId: { type: 'string' },
      statusType: { type: 'integer' },
      status: { enum: ['PENDING', 'ACTIVE', 'INACTIVE', 'UNKNOWN'] },
      payable: { type: 'boolean' },
      accountId: { type: 'string' },
      registrationDate: { type: 'string' },
      payoutMethod: {
        type: 'object',
        properties: { type: { type: 'string' }, currency: { type: 'string' } },
      },
    },
  },
  examples: [{ name: 'a seeded vendor', input: { payeeId: 'VEND-0001' } }],
  async run(input, { http, settings }) {
    const response = await http.get<{ result: PayeeStatusResult }>(
      programPath(settings, `payees/${encodeURIComponent(input.payeeId)}/status`),
    );
    const result = response.body.result;
    const statusType = result.status?.type ?? -1;
    const accountId =
      result.account_id === undefined || result.account_id === null
        ? undefined
        : String(result.account_id);
    return {
      payeeId: input.payeeId,
      statusType,
      status: STATUS_NAMES[statusType] ?? 'UNKNOWN',
      payable: statusType === 1 && accountId !== undefined,
      ...(accountId === undefined ? {} : { accountId }),
      ...(result.registration_date ? { registrationDate: result.registration_date } : {}),
      ...(result.payout_method ? { payoutMethod: result.payout_method } : {}),
    };
  },
});
