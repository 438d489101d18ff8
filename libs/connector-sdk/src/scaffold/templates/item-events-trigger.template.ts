import { type ScaffoldNames } from '../scaffold-names';

/** `triggers/item-events.trigger.ts`: a sample signed webhook trigger. */
export function itemEventsTriggerTemplate(n: ScaffoldNames): string {
  return `import { ConnectorError, defineTrigger, verifyHmacSignature } from '@switchboard/connector-sdk';

/** A delivery as ${n.title} posts it. */
interface ItemDelivery {
  id: string;
  type: 'item.created' | 'item.updated';
  item: unknown;
}

/** Item changes ${n.title} posts to the runtime, signed with the shared webhook secret. */
export const itemEvents = defineTrigger({
  kind: 'webhook',
  name: 'itemEvents',
  title: 'Item events',
  events: ['item.created', 'item.updated'],
  verify: (request, secret, { replayCache, now }) =>
    verifyHmacSignature(request, secret, {
      header: 'x-${n.id}-signature',
      toleranceSeconds: 300,
      replayCache,
      now,
    }),
  toEvents(body) {
    if (!isItemDelivery(body)) {
      throw new ConnectorError('config', '${n.title} webhook body must be { id, type, item }', {
        code: 'INVALID_WEBHOOK_BODY',
      });
    }
    return [{ event: body.type, id: body.id, payload: body.item }];
  },
});

function isItemDelivery(body: unknown): body is ItemDelivery {
  const delivery = body as Partial<ItemDelivery> | null;
  return (
    typeof delivery === 'object' &&
    delivery !== null &&
    typeof delivery.id === 'string' &&
    (delivery.type === 'item.created' || delivery.type === 'item.updated')
  );
}
`;
}
