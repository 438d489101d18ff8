/** The demo company the ERP simulator keeps books for. */
export const ERP_COMPANY = {
  name: 'Switchboard Demo Merchant',
  abbr: 'SDM',
  currency: 'USD',
} as const;

/** One account of the seeded chart. */
export interface ChartAccount {
  account_name: string;
  parent?: string;
  root_type: 'Asset' | 'Liability' | 'Income' | 'Expense' | 'Equity';
  is_group: 0 | 1;
  account_type?: string;
  account_currency?: string;
  account_number?: string;
}

/**
 * A slice of ERPNext's standard chart with the accounts the Clarity ⇄ Payoneer flows post to:
 * receivable, Payoneer clearing (per currency), revenue, Payoneer fees, FX gain/loss, payables.
 */
export const CHART_OF_ACCOUNTS: readonly ChartAccount[] = [
  { account_name: 'Application of Funds (Assets)', root_type: 'Asset', is_group: 1 },
  {
    account_name: 'Current Assets',
    parent: 'Application of Funds (Assets)',
    root_type: 'Asset',
    is_group: 1,
  },
  {
    account_name: 'Accounts Receivable',
    parent: 'Current Assets',
    root_type: 'Asset',
    is_group: 1,
  },
  {
    account_name: 'Debtors',
    parent: 'Accounts Receivable',
    root_type: 'Asset',
    is_group: 0,
    account_type: 'Receivable',
  },
  {
    account_name: 'Bank Accounts',
    parent: 'Current Assets',
    root_type: 'Asset',
    is_group: 1,
    account_type: 'Bank',
  },
  {
    account_name: 'Payoneer Clearing',
    parent: 'Bank Accounts',
    root_type: 'Asset',
    is_group: 0,
    account_type: 'Bank',
    account_currency: 'USD',
  },
  {
    account_name: 'Payoneer Clearing EUR',
    parent: 'Bank Accounts',
    root_type: 'Asset',
    is_group: 0,
    account_type: 'Bank',
    account_currency: 'EUR',
  },
  {
    account_name: 'Payoneer Clearing GBP',
    parent: 'Bank Accounts',
    root_type: 'Asset',
    is_group: 0,
    account_type: 'Bank',
    account_currency: 'GBP',
  },
  {
    account_name: 'Cash In Hand',
    parent: 'Current Assets',
    root_type: 'Asset',
    is_group: 1,
    account_type: 'Cash',
  },
  {
    account_name: 'Cash',
    parent: 'Cash In Hand',
    root_type: 'Asset',
    is_group: 0,
    account_type: 'Cash',
  },
  { account_name: 'Source of Funds (Liabilities)', root_type: 'Liability', is_group: 1 },
  {
    account_name: 'Current Liabilities',
    parent: 'Source of Funds (Liabilities)',
    root_type: 'Liability',
    is_group: 1,
  },
  {
    account_name: 'Accounts Payable',
    parent: 'Current Liabilities',
    root_type: 'Liability',
    is_group: 1,
  },
  {
    account_name: 'Creditors',
    parent: 'Accounts Payable',
    root_type: 'Liability',
    is_group: 0,
    account_type: 'Payable',
  },
  { account_name: 'Equity', root_type: 'Equity', is_group: 1 },
  {
    account_name: 'Capital Stock',
    parent: 'Equity',
    root_type: 'Equity',
    is_group: 0,
    account_type: 'Equity',
  },
  { account_name: 'Income', root_type: 'Income', is_group: 1 },
  { account_name: 'Direct Income', parent: 'Income', root_type: 'Income', is_group: 1 },
  {
    account_name: 'Sales',
    parent: 'Direct Income',
    root_type: 'Income',
    is_group: 0,
    account_type: 'Income Account',
  },
  { account_name: 'Expenses', root_type: 'Expense', is_group: 1 },
  { account_name: 'Direct Expenses', parent: 'Expenses', root_type: 'Expense', is_group: 1 },
  {
    account_name: 'Cost of Goods Sold',
    parent: 'Direct Expenses',
    root_type: 'Expense',
    is_group: 0,
    account_type: 'Cost of Goods Sold',
  },
  { account_name: 'Indirect Expenses', parent: 'Expenses', root_type: 'Expense', is_group: 1 },
  {
    account_name: 'Payoneer Fees',
    parent: 'Indirect Expenses',
    root_type: 'Expense',
    is_group: 0,
    account_type: 'Expense Account',
  },
  {
    account_name: 'Commission on Sales',
    parent: 'Indirect Expenses',
    root_type: 'Expense',
    is_group: 0,
    account_type: 'Expense Account',
  },
  {
    account_name: 'Exchange Gain/Loss',
    parent: 'Indirect Expenses',
    root_type: 'Expense',
    is_group: 0,
    account_type: 'Expense Account',
  },
];

/** An account's full name, `<account_name> - <abbr>`. */
export function accountFullName(accountName: string): string {
  return `${accountName} - ${ERP_COMPANY.abbr}`;
}
