import { moneyNumber } from '../common/money';
import {
  type PayoneerBalance,
  type PayoneerTransaction,
  TRANSACTION_CATEGORIES,
  TRANSACTION_STATUSES,
} from './payoneer.models';

/** An item of `GET /v4/accounts/{id}/balances` (amounts as strings, status "2" Active). */
export function balanceToWire(balance: PayoneerBalance): Record<string, unknown> {
  return {
    id: balance.id,
    type: 'BALANCE',
    currency: balance.currency,
    status: '2',
    status_name: 'Active',
    available_balance: balance.available,
    update_time: new Date(balance.updatedMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** An item of `GET /v4/accounts/{id}/transactions`; `details` only when asked for. */
export function transactionToWire(
  transaction: PayoneerTransaction,
  includeDetails: boolean,
): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    id: transaction.id,
    category_id: transaction.categoryId,
    category_name: TRANSACTION_CATEGORIES[transaction.categoryId],
    description: transaction.description,
    date: new Date(transaction.dateMs).toISOString(),
    amount: moneyNumber(transaction.amount),
    amount_currency: transaction.currency,
    balance_id: transaction.balanceId,
    balance_name: `${transaction.currency} balance`,
    running_balance: moneyNumber(transaction.runningBalance),
    balance_currency: transaction.currency,
    status_id: transaction.statusId,
    status_name: TRANSACTION_STATUSES[transaction.statusId],
  };
  if (transaction.source) wire.source = transaction.source;
  if (transaction.target) wire.target = transaction.target;
  if (includeDetails) wire.details = transaction.details;
  return wire;
}
