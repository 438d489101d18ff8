import { defineTrigger } from '@switchboard/connector-sdk';

import { type ClaritySalesOrder, clarityRecordSchema, fetchClarityPage } from '../clarity-records';
import { clarityPath, claritySettings } from '../clarity-settings';

const DAY_MS = 86_400_000;

/**
 * Orders modified since the cursor, oldest update first: the catch-up path and the only one for
 * stores without the event publisher. The cursor is `<UpdatedDate>|<ID>` of the last order
 * read: `ModifiedSince` is inclusive and orders are ordered by UpdatedDate then ID, so the
 * orders up to that one are skipped, even when many share one UpdatedDate. A poll reads at most
 * `pollMaxPages` pages with news; the next one resumes from the last order read.
 */
export const listModifiedOrders = defineTrigger({
  kind: 'poll',
  name: 'listModifiedOrders',
  title: 'Modified orders (polling)',
  events: ['order.modified'],
  payload: clarityRecordSchema(['StatusKey', 'UpdatedDate']),
  intervalMs: 300_000,
  async poll(cursor, { http, settings }) {
    const { pageSize, pollMaxPages, pollLookbackDays } = claritySettings(settings);
    const [since = new Date(Date.now() - pollLookbackDays * DAY_MS).toISOString(), lastId = '0'] =
      cursor?.split('|') ?? [];
    const sinceMs = Date.parse(since);
    const isNew = (order: ClaritySalesOrder): boolean => {
      const updatedMs = Date.parse(order.UpdatedDate ?? '');
      return updatedMs > sinceMs || (updatedMs === sinceMs && order.ID > Number(lastId));
    };
    const orders: ClaritySalesOrder[] = [];
    let pagesWithNews = 0;
    for (let page = 1; pagesWithNews < pollMaxPages; page += 1) {
      const result = await fetchClarityPage<ClaritySalesOrder>(
        http,
        clarityPath(settings, 'Ordering/SalesOrders'),
        { ModifiedSince: since },
        page,
        pageSize,
      );
      const fresh = result.Results.filter(isNew);
      if (fresh.length > 0) pagesWithNews += 1;
      orders.push(...fresh);
      if (page >= result.TotalPages) break;
    }
    const events = orders.map((order) => ({
      event: 'order.modified',
      id: `order:${order.ID}:${order.UpdatedDate ?? ''}`,
      ...(order.UpdatedDate === undefined ? {} : { occurredAt: order.UpdatedDate }),
      payload: order,
    }));
    const last = orders.at(-1);
    return last?.UpdatedDate === undefined
      ? { events }
      : { events, nextCursor: `${last.UpdatedDate}|${last.ID}` };
  },
});
