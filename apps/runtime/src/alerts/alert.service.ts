import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AlertRepository, type AlertRecord, type AlertSeverity } from '@switchboard/persistence';
import Handlebars from 'handlebars';
import { RuntimeConfigError } from '../config/load-runtime-config';
import { RuntimeConfig } from '../config/runtime-config';
import { RuntimeMetrics } from '../metrics/runtime-metrics';
import type { AlertRule } from './alert-rule';

/** What a caller knows when something needs a person's attention. */
export interface RaiseAlert {
  rule: AlertRule;
  severity: AlertSeverity;
  /** What it is about: a flow id, a connector id, a payee id. Repeats dedupe on rule + subject. */
  subject: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Body posted to the alert webhook: Slack's incoming-webhook shape, which Teams/Mattermost bridges accept too. */
export interface AlertWebhookPayload {
  text: string;
  blocks?: unknown[];
}

/**
 * Raises alerts: stores them deduplicated (same rule + subject within `alerts.dedupeWindowMs` → one alert
 * with a count), posts each new one to `alerts.webhookUrl`, lists them for the API and dashboard, and acknowledges them.
 */
@Injectable()
export class AlertService implements OnApplicationShutdown {
  private readonly logger = new Logger(AlertService.name);
  private readonly render: HandlebarsTemplateDelegate;
  private readonly deliveries = new Set<Promise<void>>();

  constructor(
    private readonly alerts: AlertRepository,
    private readonly config: RuntimeConfig,
    private readonly metrics: RuntimeMetrics,
  ) {
    this.render = Handlebars.compile(config.alerts.template, { noEscape: true, strict: false });
    try {
      // Handlebars parses on first use: a broken template must stop the boot, not every delivery.
      this.render({});
    } catch (error) {
      throw new RuntimeConfigError([`alerts.template: not a valid Handlebars template (${(error as Error).message.split('\n')[0]})`]);
    }
  }

  /** Stores the alert (or counts a repeat) and, for a new alert, starts its webhook delivery. */
  async raise(input: RaiseAlert): Promise<AlertRecord> {
    const { alert, created } = await this.alerts.raise(input, this.config.alerts.dedupeWindowMs);
    this.metrics.alertRaised(input.rule, input.severity);
    if (created && this.config.alerts.webhookUrl !== undefined) this.track(this.deliver(alert, this.config.alerts.webhookUrl));
    return alert;
  }

  /** For hot paths that must not wait or fail on alerting (the DLQ writer): a failure is logged, not thrown. */
  raiseInBackground(input: RaiseAlert): void {
    this.track(
      this.raise(input).then(
        () => undefined,
        (error: unknown) => this.logger.error(`could not raise ${input.rule} alert for ${input.subject}: ${String(error)}`),
      ),
    );
  }

  /** Alerts, most recently raised first. */
  async list(
    filter: { rule?: string; severity?: AlertSeverity; subject?: string; acknowledged?: boolean; from?: Date; to?: Date } = {},
    page: { limit?: number; offset?: number } = {},
  ): Promise<{ items: AlertRecord[]; total: number }> {
    return this.alerts.list(filter, page);
  }

  async get(id: string): Promise<AlertRecord | undefined> {
    return this.alerts.get(id);
  }

  /** Acknowledges an open alert; false when there is none with that id. A later repeat opens a new alert. */
  async acknowledge(id: string, actor: string): Promise<boolean> {
    return this.alerts.acknowledge(id, actor);
  }

  /** The webhook body for an alert, rendered from the configured template. */
  payload(alert: AlertRecord): AlertWebhookPayload {
    const text = this.render({ ...alert });
    return {
      text,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `rule \`${alert.rule}\` · severity ${alert.severity} · alert ${alert.id}` }] },
      ],
    };
  }

  /** Waits for deliveries in flight (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.all([...this.deliveries]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  private async deliver(alert: AlertRecord, url: string): Promise<void> {
    let error: string | null = null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(this.payload(alert)),
        signal: AbortSignal.timeout(this.config.alerts.deliveryTimeoutMs),
      });
      if (!response.ok) error = `webhook answered ${response.status}`;
      await response.body?.cancel();
    } catch (failure) {
      error = `webhook unreachable: ${(failure as Error).message}`;
    }
    if (error !== null) this.logger.warn(`alert ${alert.id} (${alert.rule} ${alert.subject}) not delivered: ${error}`);
    await this.alerts.markDelivery(alert.id, error);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.logger.error(`alert delivery bookkeeping failed: ${String(error)}`)).finally(() => this.deliveries.delete(tracked));
    this.deliveries.add(tracked);
  }
}
