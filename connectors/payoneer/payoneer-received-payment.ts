import { type HttpClient, type JsonSchema } from '@switchboard/connector-sdk';

import { amountText } from './payoneer-amount';

/** A payment received into the merchant's Payoneer account, amounts as decimal strings. */
export interface ReceivedPayment {
  transactionId: string;
  /** What the payer quoted: Clarity's TransactionNumber when paid from a Clarity order. */
  paymentReference?: string;
  /** Net amount credited, after the fee. */
  amount: string;
  currency: string;
  /** Gross amount before the fee, in the received currency. */
  grossAmount?: string;
  feeAmount: string;
  feeCurrency: string;
  /** What the payer sent, when converted. */
  sourceAmount?: string;
  sourceCurrency?: string;
  fxRate?: string;
  date: string;
  status: string;
  payerName?: string;
  note?: string;
}

/** JSON Schema of `ReceivedPayment`. */
export const RECEIVED_PAYMENT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['transactionId', 'amount', 'currency', 'feeAmount', 'feeCurrency', 'date', 'status'],
  properties: {
    transactionId: { type: 'string' },
    paymentReference: { type: 'string' },
    amount: { type: 'string' },
    currency: { type: 'string' },
    grossAmount: { type: 'string' },
    feeAmount: { type: 'string' },
    feeCurrency: { type: 'string' },
    sourceAmount: { type: 'string' },
    sourceCurrency: { type: 'string' },
    fxRate: { type: 'string' },
    date: { type: 'string' },
    status: { type: 'string' },
    payerName: { type: 'string' },
    note: { type: 'string' },
  },
};

/** A transactions-API item as Payoneer sends it. */
export interface PayoneerTransaction {
  id: string | number;
  category_id?: number;
  date: string;
  amount: number | string;
  amount_currency: string;
  status_name?: string;
  source?: { name?: string };
  details?: Record<string, string | undefined>;
}

interface TransactionsPage {
  result: { transactions: { items: PayoneerTransaction[]; total?: number; next?: string | null } };
}

/** "Incoming Payments" in Payoneer's transaction categories. */
const INCOMING_PAYMENTS = 1;

/**
 * Reads incoming payments (category 1 transactions, with details) from `from`, following
 * `next` for at most `maxPages` pages; `complete` is false when more pages were left.
 */
export async function fetchIncomingTransactions(
  http: HttpClient,
  path: string,
  query: { from?: string; to?: string; pageSize: number; maxPages: number },
): Promise<{ transactions: PayoneerTransaction[]; complete: boolean }> {
  const transactions: PayoneerTransaction[] = [];
  let next: string | null | undefined = path;
  let first = true;
  for (let page = 0; page < query.maxPages && next; page += 1) {
    const response: { body: TransactionsPage } = await http.get<TransactionsPage>(
      next,
      first
        ? {
            query: {
              from: query.from,
              to: query.to,
              page_size: query.pageSize,
              include_details: true,
            },
          }
        : {},
    );
    first = false;
    const { items, next: following } = response.body.result.transactions;
    for (const item of items) if (item.category_id === INCOMING_PAYMENTS) transactions.push(item);
    // `next` is relative to the API host, which is this connector's base URL.
    next = following;
  }
  return { transactions, complete: !next };
}

/** A transactions-API item as the typed `ReceivedPayment` the actions answer. */
export function toReceivedPayment(item: PayoneerTransaction): ReceivedPayment {
  const details = item.details ?? {};
  const optional = (key: string, value: string | undefined) =>
    value === undefined || value === '' ? {} : { [key]: value };
  return {
    transactionId: String(item.id),
    ...optional('paymentReference', details['payment_reference']),
    amount: amountText(item.amount),
    currency: item.amount_currency,
    ...optional('grossAmount', details['transfer_amount']),
    feeAmount: details['fee'] ?? '0',
    feeCurrency: details['fee_currency'] ?? item.amount_currency,
    ...optional('sourceAmount', details['amount_charged']),
    ...optional('sourceCurrency', details['amount_charged_currency']),
    ...optional('fxRate', details['transfer_fx_rate']),
    date: details['payment_date'] ?? item.date,
    status: item.status_name ?? 'Unknown',
    ...optional('payerName', item.source?.name),
    ...optional('note', details['note']),
  };
}
