import { Injectable, Logger } from '@nestjs/common';
import { readIpcnPayoutNotification } from '@switchboard/payouts';
import type { IngressConsumer } from '../ingress/ingress-consumer';
import type { AcceptedEvent } from '../ingress/webhook-gateway';
import { PayoutsRuntime } from './payouts-runtime.service';

const PAYOUT_EVENT = 'payout.status_updated';

/**
 * Payoneer payout notifications (IPCN) applied to payout items right at the ingress, before the
 * sender gets its 2xx: a direct hook rather than a flow, because payout state lives in Postgres
 * (not on the bus) and the tracker's compare-and-set transitions are idempotent, so a failure
 * answers 5xx and Payoneer's redelivery (or the status poll) repairs it. Flows listening to the
 * same event still get it.
 */
@Injectable()
export class PayoutNotificationHook implements IngressConsumer {
  private readonly logger = new Logger(PayoutNotificationHook.name);

  constructor(private readonly payouts: PayoutsRuntime) {}

  /** Whether this hook consumes events of `connector`/`event` (so ingress need not find a flow). */
  handles(connector: string, event: string): boolean {
    return (
      this.payouts.enabled &&
      event === PAYOUT_EVENT &&
      connector === this.payouts.require().config.payoneerConnector
    );
  }

  async apply(connector: string, events: readonly AcceptedEvent[]): Promise<number> {
    let applied = 0;
    for (const event of events) {
      if (!this.handles(connector, event.event)) continue;
      const body = (event.payload ?? {}) as Record<string, string | undefined>;
      const notification = readIpcnPayoutNotification(body['EventType'] ?? '', body);
      if (notification === null) continue;
      const result = await this.payouts
        .require()
        .tracker.handleNotification(notification.clientReferenceId, notification.status);
      if (result === null)
        this.logger.debug(
          `payout notification for unknown reference ${notification.clientReferenceId}`,
        );
      else applied++;
    }
    return applied;
  }
}
