import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventBusBackpressureError, type EventBus } from '@switchboard/event-bus';
import type { CompiledFlow } from '@switchboard/flow-engine';
import { closest } from 'fastest-levenshtein';
import { FlowRegistry } from '../flows/flow-registry.service';
import { flowTopics } from '../flows/flow-topics';
import { EVENT_BUS, WEBHOOK_GATEWAY } from '../runtime.tokens';
import { newEnvelope, toMessage } from '../worker/envelope';
import { computeFlowKey } from '../worker/flow-key';
import { INGRESS_CONSUMERS, type IngressConsumer } from './ingress-consumer';
import { WebhookRejectedError, type InboundWebhook, type WebhookGateway } from './webhook-gateway';

/** The bus could not take the event: the sender must retry (HTTP 503 with Retry-After). */
export class BusUnavailableError extends Error {
  override readonly name = 'BusUnavailableError';

  constructor(
    message: string,
    /** When the sender should come back: soon when the workers are only behind, later when the bus is down. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export interface IngressReceipt {
  accepted: Array<{ eventId: string; flows: string[] }>;
}

/**
 * Webhook ingress: verify, split into events, publish each to every flow listening for it.
 * Answers only after the bus accepted every event; duplicates are absorbed downstream by event id.
 */
@Injectable()
export class IngressService {
  private readonly logger = new Logger(IngressService.name);

  constructor(
    private readonly flows: FlowRegistry,
    @Inject(WEBHOOK_GATEWAY) private readonly gateway: WebhookGateway,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(INGRESS_CONSUMERS) private readonly consumers: readonly IngressConsumer[],
  ) {}

  async receive(webhook: InboundWebhook): Promise<IngressReceipt> {
    // Events a runtime part consumes itself (payout notifications) need no flow; flows may listen too.
    const consumers = this.consumers.filter((consumer) =>
      consumer.handles(webhook.connector, webhook.event),
    );
    const hooked = consumers.length > 0;
    if (!hooked) this.listeners(webhook.connector, webhook.event);
    const events = await this.gateway.accept(webhook);
    for (const consumer of consumers) await consumer.apply(webhook.connector, events);
    const receipt: IngressReceipt = { accepted: [] };
    for (const event of events) {
      // A delivery may carry events of other kinds than its route; each goes to its own listeners.
      const listeners = hooked
        ? this.flowsListening(webhook.connector, event.event)
        : event.event === webhook.event
          ? this.listeners(webhook.connector, webhook.event)
          : this.listenersOrNone(webhook.connector, event.event);
      await Promise.all(
        listeners.map(async (flow) => {
          let key: string | null;
          try {
            key = await computeFlowKey(flow, event.payload);
          } catch (error) {
            throw new WebhookRejectedError(
              422,
              `event ${event.eventId}: key of flow ${flow.definition.id} cannot be computed: ${(error as Error).message}`,
            );
          }
          const envelope = newEnvelope({
            flowId: flow.definition.id,
            id: event.eventId,
            key,
            payload: event.payload,
            headers: { 'sb-webhook': `${webhook.connector}/${webhook.event}` },
          });
          try {
            await this.bus.publish(flowTopics.trigger(flow.definition.id), [toMessage(envelope)]);
          } catch (error) {
            if (error instanceof EventBusBackpressureError) {
              // The workers are behind (memory bus): refuse until they catch up, without alarm.
              throw new BusUnavailableError(
                `the runtime is behind on flow ${flow.definition.id}: ${error.message}`,
                1,
              );
            }
            this.logger.error(
              `bus refused event ${event.eventId} for ${flow.definition.id}: ${String(error)}`,
            );
            throw new BusUnavailableError(
              'the event bus cannot accept events right now; retry later',
              5,
            );
          }
        }),
      );
      receipt.accepted.push({
        eventId: event.eventId,
        flows: listeners.map((f) => f.definition.id),
      });
    }
    return receipt;
  }

  /** Flows listening to an event someone else (the payouts hook) already consumed: none is fine. */
  private flowsListening(connector: string, event: string): CompiledFlow[] {
    return this.flows
      .list()
      .filter(
        (flow) =>
          flow.definition.trigger.webhook?.connector === connector &&
          flow.definition.trigger.webhook.event === event,
      );
  }

  private listenersOrNone(connector: string, event: string): CompiledFlow[] {
    try {
      return this.listeners(connector, event);
    } catch {
      this.logger.warn(`no flow listens to ${connector}/${event}; event dropped at ingress`);
      return [];
    }
  }

  private listeners(connector: string, event: string): CompiledFlow[] {
    const webhookFlows = this.flows
      .list()
      .filter((flow) => flow.definition.trigger.webhook !== undefined);
    const listening = webhookFlows.filter((flow) => {
      const trigger = flow.definition.trigger;
      return trigger.webhook?.connector === connector && trigger.webhook.event === event;
    });
    if (listening.length > 0) return listening;
    const known = webhookFlows.map((flow) => {
      const trigger = flow.definition.trigger as { webhook: { connector: string; event: string } };
      return `${trigger.webhook.connector}/${trigger.webhook.event}`;
    });
    const hint =
      known.length > 0 ? ` (did you mean "${closest(`${connector}/${event}`, known)}"?)` : '';
    throw new WebhookRejectedError(
      404,
      `no flow listens to webhook "${connector}/${event}"${hint}`,
    );
  }
}
