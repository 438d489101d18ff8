/** The sandbox ERP's company and accounts, as an operator would configure them. */
export const ERP_TEST_SETTINGS = {
  company: 'Switchboard Demo Merchant',
  companyCurrency: 'USD',
  costCenter: 'Main - SDM',
  accounts: {
    receivable: 'Debtors - SDM',
    payoneerClearing: 'Payoneer Clearing - SDM',
    revenue: 'Sales - SDM',
    feesExpense: 'Payoneer Fees - SDM',
    fxGainLoss: 'Exchange Gain/Loss - SDM',
  },
};
