import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { RandomSource } from '../common/random-source';
import { SANDBOX_OPTIONS } from '../common/sandbox-options.token';
import { type ResolvedSandboxOptions } from '../sandbox-options';
import { FaultInjector } from '../faults/fault-injector.service';
import { payoneerHmacAuthorization } from './payoneer-hmac-auth';
import { SANDBOX_SIGNATURE_HEADER, signSandboxPayload } from './webhook-signature';
import {
  CLARITY_WEBHOOK_EVENTS,
  PAYONEER_NOTIFICATION_EVENTS,
  PUBLISHING_SYSTEMS,
  type PublishingSystem,
  type WebhookDelivery,
  type WebhookSubscription,
  type WebhookSubscriptionSpec,
} from './webhook-subscription';

/** A subscription request that cannot work; the message names the field. */
export class WebhookSubscriptionError extends Error {
  override readonly name = 'WebhookSubscriptionError';
}

/** Payload of an outbound event: Clarity sends it as JSON, Payoneer as flat string fields. */
export type OutboundPayload = Record<string, unknown>;

// A held (out-of-order) event goes out after the next one, or after this long if none comes.
const HELD_FLUSH_MS = 1_000;
const DUPLICATE_GAP_MS = 50;
const MAX_DELIVERIES = 5_000;

/**
 * Signs and posts events to subscribed URLs, retrying non-2xx answers with bounded
 * exponential backoff, and applies the duplicate / out-of-order webhook faults.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleDestroy {
  private readonly logger = new Logger('WebhookDispatcher');
  private subscriptions = new Map<string, WebhookSubscription>();
  private deliveries: WebhookDelivery[] = [];
  private readonly held = new Map<string, { delivery: WebhookDelivery; timer: NodeJS.Timeout }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private nextSubscription = 1;
  private nextDelivery = 1;
  private closed = false;

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    @Inject(RandomSource) private readonly random: RandomSource,
    @Inject(FaultInjector) private readonly faults: FaultInjector,
  ) {}

  /** Registers a URL for some or all events of a system. */
  subscribe(spec: WebhookSubscriptionSpec): WebhookSubscription {
    if (!(PUBLISHING_SYSTEMS as readonly string[]).includes(spec.system)) {
      throw new WebhookSubscriptionError(
        `system must be one of ${PUBLISHING_SYSTEMS.join(', ')}; got "${String(spec.system)}"`,
      );
    }
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch (error) {
      throw new WebhookSubscriptionError(
        `url "${spec.url}" is not an absolute URL (${(error as Error).message})`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new WebhookSubscriptionError(`url must be http(s); got "${spec.url}"`);
    }
    const known: readonly string[] =
      spec.system === 'clarity' ? CLARITY_WEBHOOK_EVENTS : PAYONEER_NOTIFICATION_EVENTS;
    const events = spec.events ?? ['*'];
    for (const [index, event] of events.entries()) {
      if (event !== '*' && !known.includes(event)) {
        throw new WebhookSubscriptionError(
          `events[${index}]: "${event}" is not a ${spec.system} event; known: ${known.join(', ')}`,
        );
      }
    }
    if (spec.system === 'clarity' && (spec.format === 'query' || spec.urlEncodeValues)) {
      throw new WebhookSubscriptionError(
        'format "query" and urlEncodeValues apply to payoneer subscriptions only',
      );
    }
    const subscription: WebhookSubscription = {
      id: `whsub-${this.nextSubscription++}`,
      system: spec.system,
      url: spec.url,
      events,
      format: spec.format ?? 'json',
      urlEncodeValues: spec.urlEncodeValues ?? false,
      createdAt: new Date().toISOString(),
    };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  /** Every subscription. */
  listSubscriptions(): WebhookSubscription[] {
    return [...this.subscriptions.values()];
  }

  /** Removes a subscription; false when unknown. */
  unsubscribe(id: string): boolean {
    return this.subscriptions.delete(id);
  }

  /** Deliveries so far, oldest first, optionally for one system or event. */
  listDeliveries(filter: { system?: string; event?: string } = {}): WebhookDelivery[] {
    return this.deliveries.filter(
      (delivery) =>
        (filter.system === undefined || delivery.system === filter.system) &&
        (filter.event === undefined || delivery.event === filter.event),
    );
  }

  /** Sends an event to every matching subscription. */
  publish(
    system: PublishingSystem,
    event: string,
    eventId: string,
    payload: OutboundPayload,
  ): void {
    if (this.closed) return;
    for (const subscription of this.subscriptions.values()) {
      if (subscription.system !== system) continue;
      if (!subscription.events.includes('*') && !subscription.events.includes(event)) continue;
      const delivery = this.record(subscription, event, eventId, payload, false);
      const reorder = this.faults.forEvent(system, 'out_of_order_webhook', event);
      const duplicate = this.faults.forEvent(system, 'duplicate_webhook', event);
      const previouslyHeld = this.held.get(subscription.id);
      if (reorder) {
        delivery.state = 'held';
        delivery.reordered = true;
        if (previouslyHeld) this.release(subscription.id);
        const timer = setTimeout(() => this.release(subscription.id), HELD_FLUSH_MS);
        this.held.set(subscription.id, { delivery, timer });
      } else {
        // The held event goes out only once the later one has been answered: that is the reordering.
        void this.attempt(delivery, subscription).finally(() => this.release(subscription.id));
      }
      if (duplicate) {
        const copy = this.record(subscription, event, eventId, payload, true);
        this.later(DUPLICATE_GAP_MS, () => void this.attempt(copy, subscription));
      }
    }
  }

  /** Forgets subscriptions and deliveries; in-flight attempts are abandoned. */
  reset(): void {
    this.stopEverything();
    this.subscriptions.clear();
    this.deliveries = [];
    this.nextSubscription = 1;
    this.nextDelivery = 1;
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.stopEverything();
  }

  private stopEverything(): void {
    for (const { timer } of this.held.values()) clearTimeout(timer);
    this.held.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  private release(subscriptionId: string): void {
    const held = this.held.get(subscriptionId);
    const subscription = this.subscriptions.get(subscriptionId);
    if (!held) return;
    clearTimeout(held.timer);
    this.held.delete(subscriptionId);
    if (!subscription) return;
    held.delivery.state = 'pending';
    void this.attempt(held.delivery, subscription);
  }

  private record(
    subscription: WebhookSubscription,
    event: string,
    eventId: string,
    payload: OutboundPayload,
    duplicate: boolean,
  ): WebhookDelivery {
    const delivery: WebhookDelivery = {
      id: `dlv-${String(this.nextDelivery++).padStart(6, '0')}`,
      subscriptionId: subscription.id,
      system: subscription.system,
      event,
      eventId,
      url: subscription.url,
      state: 'pending',
      duplicate,
      reordered: false,
      attempts: [],
      body: this.serialize(subscription, payload),
    };
    if (subscription.system === 'payoneer' && subscription.format === 'query') {
      delivery.query = this.payoneerFields(subscription, payload);
    }
    this.deliveries.push(delivery);
    if (this.deliveries.length > MAX_DELIVERIES) this.deliveries.shift();
    return delivery;
  }

  private serialize(subscription: WebhookSubscription, payload: OutboundPayload): string {
    if (subscription.system === 'clarity') return JSON.stringify(payload);
    if (subscription.format === 'query') return '';
    return JSON.stringify(this.payoneerFields(subscription, payload));
  }

  private payoneerFields(
    subscription: WebhookSubscription,
    payload: OutboundPayload,
  ): Record<string, string> {
    return Object.fromEntries(
      Object.entries(payload).map(([key, value]) => {
        const text = String(value);
        return [key, subscription.urlEncodeValues ? encodeURIComponent(text) : text];
      }),
    );
  }

  private async attempt(
    delivery: WebhookDelivery,
    subscription: WebhookSubscription,
  ): Promise<void> {
    if (this.closed) return;
    const attempt = delivery.attempts.length + 1;
    const { url, method, headers } = this.buildRequest(delivery, subscription, attempt);
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.options.webhookRetry.timeoutMs);
    this.inFlight.add(controller);
    const record = { attempt, at: new Date().toISOString() };
    try {
      const response = await fetch(url, {
        method,
        headers,
        body: method === 'POST' ? delivery.body : undefined,
        signal: controller.signal,
      });
      await response.arrayBuffer();
      delivery.attempts.push({ ...record, status: response.status });
      if (response.ok) {
        delivery.state = 'delivered';
        return;
      }
    } catch (error) {
      delivery.attempts.push({ ...record, error: (error as Error).message });
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (this.closed) return;
    const { maxAttempts, initialDelayMs, maxDelayMs } = this.options.webhookRetry;
    if (attempt >= maxAttempts) {
      delivery.state = 'failed';
      this.logger.warn(
        `gave up on ${delivery.id} (${delivery.event} → ${delivery.url}) after ${attempt} attempts`,
      );
      return;
    }
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
    this.later(delay, () => void this.attempt(delivery, subscription));
  }

  private buildRequest(
    delivery: WebhookDelivery,
    subscription: WebhookSubscription,
    attempt: number,
  ): { url: string; method: 'GET' | 'POST'; headers: Record<string, string> } {
    // Signatures use wall-clock time so receivers can apply their own tolerance window.
    const timestampSeconds = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'user-agent': 'Switchboard-Sandbox/1.0',
      'x-sandbox-event': delivery.event,
      'x-sandbox-event-id': delivery.eventId,
      'x-sandbox-delivery': delivery.id,
      'x-sandbox-attempt': String(attempt),
    };
    let url = subscription.url;
    let method: 'GET' | 'POST' = 'POST';
    if (subscription.system === 'payoneer' && subscription.format === 'query') {
      const target = new URL(subscription.url);
      for (const [key, value] of Object.entries(delivery.query ?? {}))
        target.searchParams.set(key, value);
      url = target.toString();
      method = 'GET';
    } else {
      headers['content-type'] = 'application/json';
    }
    headers[SANDBOX_SIGNATURE_HEADER] = signSandboxPayload(
      this.options.webhookSecret,
      method === 'POST' ? delivery.body : url,
      timestampSeconds,
    );
    if (subscription.system === 'payoneer') {
      headers.authorization = payoneerHmacAuthorization({
        secret: this.options.webhookSecret,
        method,
        url,
        body: method === 'POST' ? delivery.body : '',
        timestampSeconds,
        nonce: this.random.stream('webhook-nonce').hex(32),
      });
    }
    return { url, method, headers };
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}
