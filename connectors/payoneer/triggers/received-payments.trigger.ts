import { defineTrigger } from '@switchboard/connector-sdk';

import { accountPath } from '../payoneer-paths';
import { fetchIncomingTransactions } from '../payoneer-received-payment';
import { payoneerSettings } from '../payoneer-settings';

const DAY_MS = 86_400_000;

/**
 * Polls received payments (transactions-API items, as Payoneer sends them) since the cursor:
 * the newest transaction date seen, ISO 8601. The `from` filter is inclusive, so the newest
 * payment comes again; its event id is stable and the runtime drops the repeat. The first poll
 * looks `receivedPaymentsLookbackDays` back.
 */
export const receivedPayments = defineTrigger({
  kind: 'poll',
  name: 'receivedPayments',
  title: 'Received payments (polling)',
  events: ['payment.received'],
  payload: {
    type: 'object',
    required: ['id', 'amount', 'amount_currency', 'date'],
    properties: {
      id: { type: ['string', 'number'] },
      amount: { type: ['string', 'number'] },
      amount_currency: { type: 'string' },
      date: { type: 'string' },
      details: { type: 'object' },
    },
  },
  intervalMs: 60_000,
  async poll(cursor, { http, settings, logger }) {
    const lookbackMs = payoneerSettings(settings).receivedPaymentsLookbackDays * DAY_MS;
    const from = cursor ?? new Date(Date.now() - lookbackMs).toISOString();
    const { transactions, complete } = await fetchIncomingTransactions(
      http,
      accountPath(settings, 'transactions'),
      { from, pageSize: 500, maxPages: 20 },
    );
    const events = transactions.map((transaction) => ({
      event: 'payment.received',
      id: `payment:${String(transaction.id)}`,
      occurredAt: transaction.date,
      payload: transaction,
    }));
    if (!complete) {
      // Pages come newest first: moving the cursor now would skip the pages not read.
      logger.warn({ connector: 'payoneer', from }, 'received payments left unread; cursor kept');
      return { events };
    }
    const newest = transactions
      .map((transaction) => transaction.date)
      .sort()
      .at(-1);
    return newest === undefined || newest <= from ? { events } : { events, nextCursor: newest };
  },
});
