import { ConnectorError, defineAction, isConnectorError } from '@switchboard/connector-sdk';

import {
  JOURNAL_ENTRY_PATH,
  JOURNAL_ENTRY_SUMMARY_SCHEMA,
  type JournalEntrySummary,
  findJournalEntryByReference,
  toSummary,
} from '../erp-journal-entry';
import { ERP_ACCOUNT_ROLES, type ErpSettings, erpSettings } from '../erp-settings';

/** A line of a canonical journal entry: amounts as decimal strings (or numbers). */
interface JournalLine {
  account: string;
  debit: string | number;
  credit: string | number;
  costCenter?: string;
  remark?: string;
  partyType?: string;
  party?: string;
}

/** The input: a `canonical.journal-entry@1` record (extra canonical fields are ignored). */
export interface PostJournalEntryInput {
  reference: string;
  postingDate: string;
  currency: string;
  company?: string;
  remark?: string;
  voucherType?: string;
  lines: JournalLine[];
}

export interface PostJournalEntryOutput extends JournalEntrySummary {
  /** False when an entry with this reference already existed: nothing was posted again. */
  created: boolean;
}

const AMOUNT = {
  oneOf: [
    { type: 'string', pattern: '^(0|[1-9][0-9]{0,14})(\\.[0-9]{1,4})?$' },
    { type: 'number', minimum: 0 },
  ],
};

/**
 * Posts a balanced Journal Entry at most once per `reference`: an existing entry with the
 * reference is answered instead of posting again, and a concurrent duplicate refused by the
 * ERP's unique reference field is resolved the same way.
 */
export const postJournalEntry = defineAction<PostJournalEntryInput, PostJournalEntryOutput>({
  name: 'postJournalEntry',
  title: 'Post a journal entry (idempotent by reference)',
  description:
    'Takes a canonical.journal-entry@1 record. A line account may be an ERP account name or "@<role>" (receivable, payoneerClearing, revenue, feesExpense, fxGainLoss) resolved from the settings.',
  input: {
    type: 'object',
    required: ['reference', 'postingDate', 'currency', 'lines'],
    properties: {
      reference: { type: 'string', minLength: 1, maxLength: 140 },
      postingDate: { type: 'string', format: 'date' },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
      company: { type: 'string', minLength: 1 },
      remark: { type: 'string' },
      voucherType: { type: 'string', minLength: 1 },
      lines: {
        type: 'array',
        minItems: 2,
        items: {
          type: 'object',
          required: ['account', 'debit', 'credit'],
          properties: {
            account: { type: 'string', minLength: 1 },
            debit: AMOUNT,
            credit: AMOUNT,
            costCenter: { type: 'string', minLength: 1 },
            remark: { type: 'string' },
            partyType: { type: 'string', minLength: 1 },
            party: { type: 'string', minLength: 1 },
          },
        },
      },
    },
  },
  output: {
    ...JOURNAL_ENTRY_SUMMARY_SCHEMA,
    required: [...(JOURNAL_ENTRY_SUMMARY_SCHEMA['required'] as string[]), 'created'],
    properties: {
      ...(JOURNAL_ENTRY_SUMMARY_SCHEMA['properties'] as object),
      created: { type: 'boolean' },
    },
  },
  examples: [
    {
      name: 'a Payoneer fee',
      input: {
        reference: 'example:fee:TX-1001',
        postingDate: '2026-03-01',
        currency: 'USD',
        remark: 'Payoneer fee on TX-1001',
        lines: [
          { account: '@feesExpense', debit: '2.50', credit: '0' },
          { account: '@payoneerClearing', debit: '0', credit: '2.50' },
        ],
      },
      output: { docstatus: 1, totalDebit: 2.5 },
    },
  ],
  async run(input, { http, settings: raw }) {
    const settings = erpSettings(raw);
    const existing = await findJournalEntryByReference(http, settings, input.reference);
    if (existing !== undefined) return { ...existing, created: false };
    const company = input.company ?? settings.company;
    const body = {
      voucher_type: input.voucherType ?? 'Journal Entry',
      company,
      posting_date: input.postingDate,
      user_remark: input.remark,
      multi_currency: input.currency === settings.companyCurrency ? 0 : 1,
      [settings.referenceField]: input.reference,
      docstatus: settings.submit ? 1 : 0,
      accounts: input.lines.map((line, index) => toAccountRow(line, index, settings)),
    };
    try {
      // Safe to repeat: the reference field is unique, so a second insert is refused, not doubled.
      const response = await http.post<{ data: Record<string, unknown> & { name: string } }>(
        JOURNAL_ENTRY_PATH,
        body,
        { idempotent: true },
      );
      return { ...toSummary(response.body.data, settings, input.reference), created: true };
    } catch (error) {
      if (!(isConnectorError(error) && error.code === 'DUPLICATE_REFERENCE')) throw error;
      // Another attempt (a retry after a lost answer, a concurrent worker) posted it first.
      const winner = await findJournalEntryByReference(http, settings, input.reference);
      if (winner === undefined) throw error;
      return { ...winner, created: false };
    }
  },
});

function toAccountRow(
  line: JournalLine,
  index: number,
  settings: ErpSettings,
): Record<string, unknown> {
  return {
    account: resolveAccount(line.account, index, settings),
    debit_in_account_currency: Number(line.debit),
    credit_in_account_currency: Number(line.credit),
    cost_center: line.costCenter ?? settings.costCenter,
    user_remark: line.remark,
    party_type: line.partyType,
    party: line.party,
  };
}

function resolveAccount(account: string, index: number, settings: ErpSettings): string {
  if (!account.startsWith('@')) return account;
  const role = account.slice(1);
  const resolved = (ERP_ACCOUNT_ROLES as readonly string[]).includes(role)
    ? settings.accounts[role as (typeof ERP_ACCOUNT_ROLES)[number]]
    : undefined;
  if (resolved === undefined) {
    throw new ConnectorError(
      'config',
      `lines[${index}].account "${account}": no account is configured for role "${role}" (settings.accounts.${role}; roles: ${ERP_ACCOUNT_ROLES.join(', ')})`,
      { code: 'ACCOUNT_ROLE_UNSET' },
    );
  }
  return resolved;
}
