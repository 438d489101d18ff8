import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '../common/domain-events';
import { RandomSource } from '../common/random-source';
import { SandboxClock } from '../common/sandbox-clock';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';
import { paymentToWire, salesOrderToWire } from './clarity-wire';

/**
 * The signed event publisher a Clarity extension would add (stock Clarity has no outbound
 * webhooks): `{EventID, EventType, OccurredAt, Data}` for order created, payment processed
 * and order status changed.
 */
@Injectable()
export class ClarityWebhookPublisher implements OnModuleInit {
  constructor(
    @Inject(DomainEvents) private readonly events: DomainEvents,
    @Inject(WebhookDispatcher) private readonly dispatcher: WebhookDispatcher,
    @Inject(RandomSource) private readonly random: RandomSource,
    @Inject(SandboxClock) private readonly clock: SandboxClock,
  ) {}

  onModuleInit(): void {
    this.events.on('clarity.order.created', ({ order }) =>
      this.publish('order.created', { SalesOrder: salesOrderToWire(order) }),
    );
    this.events.on('clarity.payment.processed', ({ payment, order }) =>
      this.publish('payment.processed', {
        Payment: paymentToWire(payment),
        SalesOrder: salesOrderToWire(order),
      }),
    );
    this.events.on('clarity.order.status_changed', ({ order, previousStatusKey }) =>
      this.publish('order.status_changed', {
        SalesOrder: salesOrderToWire(order),
        PreviousStatusKey: previousStatusKey,
      }),
    );
  }

  private publish(eventType: string, data: Record<string, unknown>): void {
    const eventId = `evt_${this.random.stream('clarity-events').hex(24)}`;
    this.dispatcher.publish('clarity', eventType, eventId, {
      EventID: eventId,
      EventType: eventType,
      OccurredAt: this.clock.now().toISOString(),
      Data: data,
    });
  }
}
