import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { RuntimeConfig } from '../config/runtime-config';
import { ConnectorRegistry } from '../connectors/connector-registry.service';
import { ScrapeGauges } from '../metrics/scrape-gauges.service';
import { AlertService } from './alert.service';

/** Periodic rules that no single event triggers: a connector's system is down, a flow's consumers lag. */
@Injectable()
export class AlertChecks implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlertChecks.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: RuntimeConfig,
    private readonly alerts: AlertService,
    private readonly connectors: ConnectorRegistry,
    private readonly gauges: ScrapeGauges,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.alerts.checkIntervalMs;
    if (every === 0) return;
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.check()).catch((error: unknown) => this.logger.error(`alert checks failed: ${String(error)}`));
    }, every);
    this.timer.unref();
  }

  /** Runs every periodic rule once. */
  async check(): Promise<void> {
    const health = await this.connectors.health();
    for (const [connectorId, report] of Object.entries(health)) {
      if (report.healthy) continue;
      await this.alerts.raise({
        rule: 'connector_down',
        severity: 'critical',
        subject: connectorId,
        message: `${connectorId} does not answer its health check: ${report.error?.message ?? 'unhealthy'}`,
        details: { error: report.error ?? null, latencyMs: report.latencyMs },
      });
    }
    const lags = await this.gauges.refresh();
    for (const [flowId, lag] of lags) {
      if (lag <= this.config.alerts.lagThreshold) continue;
      await this.alerts.raise({
        rule: 'lag_over_threshold',
        severity: 'warning',
        subject: flowId,
        message: `flow ${flowId} is ${lag} messages behind (threshold ${this.config.alerts.lagThreshold})`,
        details: { lag, threshold: this.config.alerts.lagThreshold },
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.running;
  }
}
