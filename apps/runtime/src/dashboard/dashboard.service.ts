import { Inject, Injectable, Optional } from '@nestjs/common';
import { KafkaEventBus, type EventBus } from '@switchboard/event-bus';
import type { CompiledFlow } from '@switchboard/flow-engine';
import {
  DeadLetterRepository,
  ExecutionRepository,
  type AlertRecord,
  type DeadLetterRecord,
  type ExecutionRecord,
} from '@switchboard/persistence';
import { DataSource } from 'typeorm';
import type { ApiPrincipal } from '../access/api-principal';
import { DeadLetterService } from '../dlq/dead-letter.service';
import { FlowRegistry } from '../flows/flow-registry.service';
import { flowTopics } from '../flows/flow-topics';
import { EVENT_BUS } from '../runtime.tokens';
import { AlertService } from '../alerts/alert.service';
import {
  FEE_FEED,
  PAYOUT_FEED,
  RECONCILIATION_FEED,
  type FeeFeed,
  type PayoutFeed,
  type ReconciliationFeed,
} from './dashboard-feeds';
import { renderBarChart } from './svg-bar-chart';

/** Systems whose events make up the merged transaction list. */
const TRANSACTION_SYSTEMS = ['clarity', 'payoneer'] as const;
const ERROR_STATUSES = ['failed', 'dead_lettered', 'in_review'];
const CHART_MINUTES = 30;

/** Per-flow figures over the overview window. */
export interface FlowOverview {
  id: string;
  version: number;
  trigger: string;
  target: string;
  total: number;
  succeeded: number;
  errors: number;
  duplicates: number;
  p50Ms: number | null;
  p95Ms: number | null;
  /** Messages waiting for the flow's consumer group; null when the bus cannot say (memory bus). */
  lag: number | null;
}

/** The numbers the page pushes over SSE; names match `data-counter` attributes in the views. */
export interface LiveCounters {
  executions: number;
  succeeded: number;
  errors: number;
  dlqOpen: number;
  alertsOpen: number;
  perFlow: Record<string, { total: number; errors: number }>;
  at: string;
}

export interface TransactionRow {
  executionId: string;
  system: string;
  flowId: string;
  key: string | null;
  eventId: string;
  status: string;
  startedAt: Date;
}

/** A section whose feature is not part of this build says so instead of showing invented data. */
export type Section<T> = { available: true; data: T } | { available: false; reason: string };

interface FlowStatsRow {
  flow_id: string;
  total: number;
  succeeded: number;
  errors: number;
  duplicates: number;
  p50: number | null;
  p95: number | null;
}

/** Reads what the dashboard shows: executions, dead letters and the optional feature feeds. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly flows: FlowRegistry,
    private readonly executions: ExecutionRepository,
    private readonly deadLetterRepository: DeadLetterRepository,
    private readonly deadLetters: DeadLetterService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly alertService: AlertService,
    @Optional()
    @Inject(RECONCILIATION_FEED)
    private readonly reconciliationFeed?: ReconciliationFeed,
    @Optional() @Inject(PAYOUT_FEED) private readonly payoutFeed?: PayoutFeed,
    @Optional() @Inject(FEE_FEED) private readonly feeFeed?: FeeFeed,
  ) {}

  /** Throughput, latency, errors and lag per loaded flow over the last `windowMinutes`. */
  async flowOverview(windowMinutes: number): Promise<FlowOverview[]> {
    const since = new Date(Date.now() - windowMinutes * 60_000);
    const rows: FlowStatsRow[] = await this.dataSource.query(
      `SELECT flow_id,
              count(*)::int AS total,
              count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE status = ANY($2))::int AS errors,
              count(*) FILTER (WHERE status = 'duplicate')::int AS duplicates,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
         FROM executions WHERE started_at >= $1 GROUP BY flow_id`,
      [since, ERROR_STATUSES],
    );
    const byFlow = new Map(rows.map((row) => [row.flow_id, row]));
    return Promise.all(
      this.flows.list().map(async (flow) => {
        const stats = byFlow.get(flow.definition.id);
        return {
          id: flow.definition.id,
          version: flow.definition.version,
          trigger: describeTrigger(flow),
          target:
            flow.definition.target.topic ??
            `${flow.definition.target.action?.connector}.${flow.definition.target.action?.name}`,
          total: stats?.total ?? 0,
          succeeded: stats?.succeeded ?? 0,
          errors: stats?.errors ?? 0,
          duplicates: stats?.duplicates ?? 0,
          p50Ms: roundOrNull(stats?.p50),
          p95Ms: roundOrNull(stats?.p95),
          lag: await this.lag(flow),
        };
      }),
    );
  }

  /** Flow files that failed to load, so a half-configured demo says what is missing. */
  flowProblems(): Array<{ text: string }> {
    return this.flows.loadProblems().map((problem) => ({ text: problem.text }));
  }

  /** Executions per minute over the last half hour, as inline SVG. */
  async throughputChart(): Promise<string> {
    const start = Math.floor(Date.now() / 60_000) * 60_000 - (CHART_MINUTES - 1) * 60_000;
    const rows: Array<{ minute: Date; ok: number; bad: number }> = await this.dataSource.query(
      `SELECT date_trunc('minute', started_at) AS minute,
              count(*) FILTER (WHERE status <> ALL($2))::int AS ok,
              count(*) FILTER (WHERE status = ANY($2))::int AS bad
         FROM executions WHERE started_at >= $1 GROUP BY 1`,
      [new Date(start), ERROR_STATUSES],
    );
    const ok = new Array<number>(CHART_MINUTES).fill(0);
    const bad = new Array<number>(CHART_MINUTES).fill(0);
    for (const row of rows) {
      const index = Math.round((new Date(row.minute).getTime() - start) / 60_000);
      if (index < 0 || index >= CHART_MINUTES) continue;
      ok[index] = row.ok;
      bad[index] = row.bad;
    }
    const labels = ok.map((_, index) =>
      new Date(start + index * 60_000).toISOString().slice(11, 16),
    );
    return renderBarChart({
      title: 'Executions per minute (UTC), last 30 minutes',
      labels,
      series: [
        { name: 'ok', tone: 'ok', values: ok },
        { name: 'failed / dead-lettered / review', tone: 'bad', values: bad },
      ],
    });
  }

  /** The counters the page keeps live: executions and errors in the last 24 h, open dead letters, open alerts. */
  async counters(): Promise<LiveCounters> {
    const since = new Date(Date.now() - 24 * 3600_000);
    const rows: Array<{ flow_id: string; total: number; succeeded: number; errors: number }> =
      await this.dataSource.query(
        `SELECT flow_id, count(*)::int AS total,
              count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
              count(*) FILTER (WHERE status = ANY($2))::int AS errors
         FROM executions WHERE started_at >= $1 GROUP BY flow_id`,
        [since, ERROR_STATUSES],
      );
    const [open]: Array<{ open: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS open FROM dead_letters WHERE status IN ('pending', 'review')`,
    );
    const { total: alerts } = await this.alertService.list({ acknowledged: false }, { limit: 1 });
    const perFlow: LiveCounters['perFlow'] = {};
    for (const row of rows) perFlow[row.flow_id] = { total: row.total, errors: row.errors };
    return {
      executions: rows.reduce((sum, row) => sum + row.total, 0),
      succeeded: rows.reduce((sum, row) => sum + row.succeeded, 0),
      errors: rows.reduce((sum, row) => sum + row.errors, 0),
      dlqOpen: open?.open ?? 0,
      alertsOpen: alerts,
      perFlow,
      at: new Date().toISOString(),
    };
  }

  /** Clarity and Payoneer events in one list, newest first, optionally filtered by key or event id. */
  async transactions(search: string, limit = 50): Promise<TransactionRow[]> {
    const flowSystems = new Map<string, string>();
    for (const flow of this.flows.list()) {
      const system = triggerConnector(flow);
      if (system !== undefined && (TRANSACTION_SYSTEMS as readonly string[]).includes(system))
        flowSystems.set(flow.definition.id, system);
    }
    if (flowSystems.size === 0) return [];
    const pattern = search === '' ? null : `%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    const rows: Array<{
      id: string;
      flow_id: string;
      key: string | null;
      event_id: string;
      status: string;
      started_at: Date;
    }> = await this.dataSource.query(
      `SELECT id, flow_id, key, event_id, status, started_at FROM executions
          WHERE flow_id = ANY($1) AND ($2::text IS NULL OR key ILIKE $2 OR event_id ILIKE $2 OR flow_id ILIKE $2)
          ORDER BY started_at DESC LIMIT $3`,
      [[...flowSystems.keys()], pattern, limit],
    );
    return rows.map((row) => ({
      executionId: row.id,
      system: flowSystems.get(row.flow_id) ?? '?',
      flowId: row.flow_id,
      key: row.key,
      eventId: row.event_id,
      status: row.status,
      startedAt: row.started_at,
    }));
  }

  async recentExecutions(limit = 20): Promise<ExecutionRecord[]> {
    return (await this.executions.list({}, { limit })).items;
  }

  async execution(id: string): Promise<ExecutionRecord | undefined> {
    return this.executions.get(id);
  }

  /** Dead letters waiting for a person (pending and review), newest first, optionally of one flow. */
  async openDeadLetters(
    flowId: string | undefined,
    limit = 50,
  ): Promise<{ items: DeadLetterRecord[]; total: number }> {
    const { items, total } = await this.deadLetterRepository.list(
      { status: ['pending', 'review'], flowId },
      { limit },
    );
    return { items, total };
  }

  /** Open dead letters per flow, for the DLQ filter. */
  async openDeadLettersByFlow(): Promise<Array<{ flowId: string; open: number }>> {
    const rows: Array<{ flow_id: string; open: number }> = await this.dataSource.query(
      `SELECT flow_id, count(*)::int AS open FROM dead_letters WHERE status IN ('pending', 'review') GROUP BY flow_id ORDER BY flow_id`,
    );
    return rows.map((row) => ({ flowId: row.flow_id, open: row.open }));
  }

  async deadLetter(id: string): Promise<DeadLetterRecord | undefined> {
    return this.deadLetterRepository.get(id);
  }

  async replay(record: DeadLetterRecord, user: ApiPrincipal): Promise<void> {
    await this.deadLetters.replay(record, { version: 'current', actor: actorOf(user) });
  }

  async discard(record: DeadLetterRecord, reason: string, user: ApiPrincipal): Promise<void> {
    await this.deadLetters.discard(record, reason, actorOf(user));
  }

  /** The 50 most recently raised alerts, open and acknowledged. */
  async alerts(): Promise<AlertRecord[]> {
    return (await this.alertService.list({}, { limit: 50 })).items;
  }

  /** Acknowledges an open alert; false when it was already acknowledged. */
  async acknowledgeAlert(id: string, user: ApiPrincipal): Promise<boolean> {
    return this.alertService.acknowledge(id, actorOf(user));
  }

  async reconciliation(): Promise<Section<Awaited<ReturnType<ReconciliationFeed['summary']>>>> {
    if (this.reconciliationFeed === undefined) return notLoaded('reconciliation');
    return { available: true, data: await this.reconciliationFeed.summary() };
  }

  async payouts(): Promise<Section<Awaited<ReturnType<PayoutFeed['summary']>>>> {
    if (this.payoutFeed === undefined) return notLoaded('payouts');
    return { available: true, data: await this.payoutFeed.summary() };
  }

  async approveReview(id: string, user: ApiPrincipal): Promise<string> {
    if (this.reconciliationFeed === undefined)
      return 'Reconciliation is not enabled in this runtime.';
    return this.reconciliationFeed.approve(id, actorOf(user));
  }

  async dismissReview(id: string, reason: string, user: ApiPrincipal): Promise<string> {
    if (this.reconciliationFeed === undefined)
      return 'Reconciliation is not enabled in this runtime.';
    return this.reconciliationFeed.dismiss(id, actorOf(user), reason);
  }

  async pausePayoutQueue(
    currency: string,
    note: string | undefined,
    user: ApiPrincipal,
  ): Promise<string> {
    if (this.payoutFeed === undefined) return 'Payouts are not enabled in this runtime.';
    return this.payoutFeed.pause(currency, actorOf(user), note);
  }

  async resumePayoutQueue(currency: string, user: ApiPrincipal): Promise<string> {
    if (this.payoutFeed === undefined) return 'Payouts are not enabled in this runtime.';
    return this.payoutFeed.resume(currency, actorOf(user));
  }

  /** Fees per day and currency over two weeks: a chart per currency plus the rows. */
  async fees(): Promise<
    Section<{ chart: string; rows: Array<{ day: string; currency: string; amount: string }> }>
  > {
    if (this.feeFeed === undefined) return notLoaded('fee tracking');
    const rows = await this.feeFeed.byDay(14);
    const days = [...new Set(rows.map((row) => row.day))].sort();
    const currencies = [...new Set(rows.map((row) => row.currency))].sort();
    const tones = ['info', 'warn', 'ok', 'bad'] as const;
    const chart = renderBarChart({
      title: 'Fees per day and currency',
      labels: days.map((day) => day.slice(5)),
      series: currencies.map((currency, index) => ({
        name: currency,
        tone: tones[index % tones.length] ?? 'info',
        values: days.map((day) =>
          Number(rows.find((row) => row.day === day && row.currency === currency)?.amount ?? 0),
        ),
      })),
    });
    return { available: true, data: { chart, rows } };
  }

  busDescription(): string {
    return `${this.bus.transport}${this.bus.durable ? '' : ' (in-memory, not durable)'}`;
  }

  private async lag(flow: CompiledFlow): Promise<number | null> {
    if (!(this.bus instanceof KafkaEventBus)) return null;
    const id = flow.definition.id;
    const topics = [flow.definition.trigger.topic ?? flowTopics.trigger(id), flowTopics.delay(id)];
    const partitions = await this.bus.consumerGroupLag(flowTopics.group(id), topics);
    return partitions.reduce((sum, partition) => sum + partition.lag, 0);
  }
}

function describeTrigger(flow: CompiledFlow): string {
  const trigger = flow.definition.trigger;
  if (trigger.webhook !== undefined)
    return `webhook ${trigger.webhook.connector} ${trigger.webhook.event}`;
  if (trigger.schedule !== undefined)
    return `poll ${trigger.schedule.action} (${trigger.schedule.cron})`;
  return `topic ${trigger.topic}`;
}

function triggerConnector(flow: CompiledFlow): string | undefined {
  const trigger = flow.definition.trigger;
  if (trigger.webhook !== undefined) return trigger.webhook.connector;
  if (trigger.schedule !== undefined) return trigger.schedule.action.split('.')[0];
  return undefined;
}

function notLoaded(feature: string): { available: false; reason: string } {
  return {
    available: false,
    reason: `${feature} is not yet available in this build (the feature is not loaded)`,
  };
}

function roundOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(Number(value) * 10) / 10;
}

/** The audit log names who acted: the key's name and id. */
function actorOf(user: ApiPrincipal): string {
  return `key:${user.name}/${user.prefix}`;
}
