import type { BreakerStateEvent, ConnectorObserver, CredentialEvent, HttpAttemptEvent, HttpRetryEvent } from '@switchboard/connector-sdk';
import { EXECUTION_STATUSES, type ExecutionStatus } from '@switchboard/persistence';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

type FlowOutcome = ExecutionStatus;

/** Pre-bound children of one flow's series, so counting an event allocates nothing. */
interface FlowSeries {
  received: Counter.Internal;
  outcomes: Record<FlowOutcome, Counter.Internal>;
  duration: Histogram.Internal<'flow'>;
  retries: Counter.Internal;
}

const BREAKER_VALUE: Record<BreakerStateEvent['state'], number> = { closed: 0, half_open: 1, open: 2, isolated: 3 };

/**
 * The runtime's Prometheus metrics (own registry, so several runtimes in one process stay apart).
 * Also the connector SDK's observer: HTTP status codes, retries, breaker state and credentials per connector.
 * Reconciliation and payout series are declared here for the work that increments them.
 */
export class RuntimeMetrics implements ConnectorObserver {
  readonly registry = new Registry();

  private readonly eventsIn = new Counter({ name: 'sb_flow_events_in_total', help: 'Events a flow worker received (trigger, delay and replay topics)', labelNames: ['flow'], registers: [this.registry] });
  private readonly eventsOut = new Counter({ name: 'sb_flow_events_out_total', help: 'Attempts of flow events by outcome (succeeded, retrying, dead_lettered, in_review, duplicate)', labelNames: ['flow', 'outcome'], registers: [this.registry] });
  private readonly duration = new Histogram({
    name: 'sb_flow_execution_duration_seconds',
    help: 'Time one attempt of a flow took: transform, validate, deliver',
    labelNames: ['flow'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly retries = new Counter({ name: 'sb_flow_retries_total', help: 'Attempts of flow events that failed and will be retried', labelNames: ['flow'], registers: [this.registry] });
  private readonly deadLettered = new Counter({ name: 'sb_dlq_events_total', help: 'Events parked in a flow DLQ, by status (pending, review) and failure type', labelNames: ['flow', 'status', 'failure_type'], registers: [this.registry] });
  /** Refreshed at scrape time from the dead-letter index. */
  readonly dlqOpen = new Gauge({ name: 'sb_dlq_open', help: 'Dead letters waiting for an operator (pending or review)', labelNames: ['flow'], registers: [this.registry] });
  /** Refreshed at scrape time from Kafka consumer-group offsets (Kafka transport only). */
  readonly consumerLag = new Gauge({ name: 'sb_flow_consumer_lag', help: 'Messages on a flow\'s trigger and delay topics not yet committed by its workers', labelNames: ['flow'], registers: [this.registry] });
  private readonly ingress = new Counter({ name: 'sb_ingress_webhooks_total', help: 'Webhook deliveries answered by the ingress, by connector and HTTP status', labelNames: ['connector', 'status'], registers: [this.registry] });
  private readonly httpRequests = new Counter({ name: 'sb_connector_http_requests_total', help: 'HTTP attempts connectors made, by status code (none for network errors) and outcome', labelNames: ['connector', 'method', 'status', 'outcome'], registers: [this.registry] });
  private readonly httpDuration = new Histogram({
    name: 'sb_connector_http_request_duration_seconds',
    help: 'Duration of connectors\' HTTP attempts',
    labelNames: ['connector'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly httpRetries = new Counter({ name: 'sb_connector_http_retries_total', help: 'Retries of connector HTTP requests, by failure type', labelNames: ['connector', 'failure_type'], registers: [this.registry] });
  private readonly breaker = new Gauge({ name: 'sb_connector_circuit_state', help: 'Circuit breaker per connector host: 0 closed, 1 half-open, 2 open, 3 isolated', labelNames: ['connector', 'host'], registers: [this.registry] });
  private readonly credentials = new Counter({ name: 'sb_connector_credential_requests_total', help: 'Token requests and session logins, by outcome', labelNames: ['connector', 'outcome'], registers: [this.registry] });
  private readonly alerts = new Counter({ name: 'sb_alerts_raised_total', help: 'Alerts raised (repeats within the dedupe window included)', labelNames: ['rule', 'severity'], registers: [this.registry] });
  /** For the reconciliation work: `outcome` matched | mismatch | unmatched | review. */
  readonly reconciliation = new Counter({ name: 'sb_reconciliation_results_total', help: 'Reconciliation results by outcome', labelNames: ['outcome'], registers: [this.registry] });
  /** For the payout work: payout items by the status they moved to. */
  readonly payoutItems = new Counter({ name: 'sb_payout_items_total', help: 'Payout items by the status they reached', labelNames: ['status'], registers: [this.registry] });
  /** For the payout work: amounts paid out, in minor units of each currency. */
  readonly payoutAmount = new Counter({ name: 'sb_payout_amount_minor_total', help: 'Amount of completed payout items in minor units', labelNames: ['currency'], registers: [this.registry] });

  private readonly flows = new Map<string, FlowSeries>();

  /** A flow worker took an event off the bus. */
  eventReceived(flowId: string): void {
    this.flow(flowId).received.inc();
  }

  /** One attempt of a flow event ended with `outcome`, after `durationMs`. */
  eventOutcome(flowId: string, outcome: FlowOutcome, durationMs: number): void {
    const series = this.flow(flowId);
    series.outcomes[outcome].inc();
    if (outcome === 'retrying') series.retries.inc();
    if (outcome !== 'duplicate') series.duration.observe(durationMs / 1000);
  }

  eventDeadLettered(flowId: string, status: 'pending' | 'review', failureType: string): void {
    this.deadLettered.labels(flowId, status, failureType).inc();
  }

  /** The ingress answered a webhook delivery with `status`. */
  webhookAnswered(connector: string, status: number): void {
    this.ingress.labels(connector, String(status)).inc();
  }

  alertRaised(rule: string, severity: string): void {
    this.alerts.labels(rule, severity).inc();
  }

  httpAttempt(event: HttpAttemptEvent): void {
    this.httpRequests.labels(event.connectorId, event.method, event.status === undefined ? 'none' : String(event.status), event.outcome).inc();
    this.httpDuration.labels(event.connectorId).observe(event.durationMs / 1000);
  }

  httpRetry(event: HttpRetryEvent): void {
    this.httpRetries.labels(event.connectorId, event.failureType).inc();
  }

  breakerStateChanged(event: BreakerStateEvent): void {
    this.breaker.labels(event.connectorId, event.host).set(BREAKER_VALUE[event.state]);
  }

  credentialRequested(event: CredentialEvent): void {
    this.credentials.labels(event.connectorId, event.outcome).inc();
  }

  /** Prometheus text exposition of every series. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private flow(flowId: string): FlowSeries {
    let series = this.flows.get(flowId);
    if (series === undefined) {
      const outcomes = Object.fromEntries(EXECUTION_STATUSES.map((outcome) => [outcome, this.eventsOut.labels(flowId, outcome)])) as Record<FlowOutcome, Counter.Internal>;
      series = { received: this.eventsIn.labels(flowId), outcomes, duration: this.duration.labels(flowId), retries: this.retries.labels(flowId) };
      this.flows.set(flowId, series);
    }
    return series;
  }
}
