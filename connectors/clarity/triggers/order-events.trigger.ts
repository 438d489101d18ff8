import { ConnectorError, defineTrigger, verifyHmacSignature } from '@switchboard/connector-sdk';

const EVENTS = ['order.created', 'payment.processed', 'order.status_changed'];

/** The signed event publisher a Clarity extension adds (the sandbox's): `{EventID, EventType, OccurredAt, Data}`. */
interface ClarityEventBody {
  EventID?: unknown;
  EventType?: unknown;
  OccurredAt?: unknown;
  Data?: unknown;
}

/**
 * Clarity order and payment events, signed `t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>` in
 * `X-Clarity-Signature` (or the sandbox's `X-Sandbox-Signature`). The payload is the event body
 * as sent; its `EventID` is the event id, stable across retries and duplicate deliveries.
 */
export const orderEvents = defineTrigger({
  kind: 'webhook',
  name: 'orderEvents',
  title: 'Order and payment events (signed webhooks)',
  events: EVENTS,
  payload: {
    type: 'object',
    required: ['EventID', 'EventType', 'Data'],
    properties: {
      EventID: { type: 'string', minLength: 1 },
      EventType: { enum: EVENTS },
      OccurredAt: { type: 'string' },
      Data: { type: 'object' },
    },
  },
  verify(request, secret, tools) {
    const header =
      request.headers['x-clarity-signature'] === undefined
        ? 'X-Sandbox-Signature'
        : 'X-Clarity-Signature';
    return verifyHmacSignature(request, secret, {
      header,
      toleranceSeconds: 300,
      replayCache: tools.replayCache,
      now: tools.now,
    });
  },
  toEvents(body) {
    const event = body as ClarityEventBody | null;
    const type = event?.EventType;
    if (typeof event?.EventID !== 'string' || typeof type !== 'string' || !EVENTS.includes(type)) {
      throw new ConnectorError(
        'config',
        `not a Clarity event: expected {EventID, EventType (${EVENTS.join(', ')}), Data}, got EventType ${JSON.stringify(type)}`,
        { code: 'EVENT_UNRECOGNISED' },
      );
    }
    return [
      {
        event: type,
        id: event.EventID,
        ...(typeof event.OccurredAt === 'string' ? { occurredAt: event.OccurredAt } : {}),
        payload: body,
      },
    ];
  },
});
