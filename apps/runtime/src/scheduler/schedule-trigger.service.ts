import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { EventBus } from '@switchboard/event-bus';
import type { CompiledFlow } from '@switchboard/flow-engine';
import { FlowCursorRepository, withAdvisoryLock } from '@switchboard/persistence';
import { DataSource } from 'typeorm';
import { ConnectorRegistry } from '../connectors/connector-registry.service';
import { FlowRegistry } from '../flows/flow-registry.service';
import { flowTopics } from '../flows/flow-topics';
import { EVENT_BUS } from '../runtime.tokens';
import { newEnvelope, toMessage } from '../worker/envelope';
import { computeFlowKey } from '../worker/flow-key';

interface ScheduleState {
  cursor: unknown;
  /** Scheduled time of the last tick that ran, so one tick fires once across instances. */
  lastTick: string | null;
}

/**
 * Registers a cron job per `schedule` flow. A tick polls the connector from the flow's persisted
 * cursor and publishes what it finds; a Postgres advisory lock plus the stored last tick make a
 * tick fire once even with several runtime instances.
 */
@Injectable()
export class ScheduleTriggerService implements OnApplicationShutdown {
  private readonly logger = new Logger(ScheduleTriggerService.name);
  private readonly jobs = new Map<string, { flow: CompiledFlow; job: CronJob }>();

  constructor(
    private readonly schedulerRegistry: SchedulerRegistry,
    private readonly flows: FlowRegistry,
    private readonly connectors: ConnectorRegistry,
    private readonly cursors: FlowCursorRepository,
    private readonly dataSource: DataSource,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  start(): void {
    this.flows.onChange(() => this.reconcile());
    this.reconcile();
  }

  /** Runs one tick now (admin "run now" and tests); returns how many events it published. */
  async tick(flowId: string, scheduledAt: Date = new Date()): Promise<number> {
    const flow = this.flows.get(flowId);
    const schedule = flow?.definition.trigger.schedule;
    if (flow === undefined || schedule === undefined) throw new Error(`flow ${flowId} has no schedule trigger`);
    const tickId = scheduledAt.toISOString().slice(0, 19);
    const { acquired, result } = await withAdvisoryLock(this.dataSource, `schedule:${flowId}`, async () => {
      const state = ((await this.cursors.get(flowId)) as ScheduleState | undefined) ?? { cursor: null, lastTick: null };
      if (state.lastTick === tickId) return 0;
      const [connectorId, triggerName] = splitAction(schedule.action);
      const page = await this.connectors.poll(connectorId, triggerName, state.cursor);
      for (const event of page.events) {
        const envelope = newEnvelope({
          flowId,
          id: event.eventId,
          key: await computeFlowKey(flow, event.payload),
          payload: event.payload,
          headers: { 'sb-schedule': schedule.action },
        });
        await this.bus.publish(flowTopics.trigger(flowId), [toMessage(envelope)]);
      }
      // The cursor moves only after every event of the page is on the bus.
      await this.cursors.set(flowId, { cursor: page.nextCursor, lastTick: tickId } satisfies ScheduleState);
      return page.events.length;
    });
    return acquired ? (result ?? 0) : 0;
  }

  private reconcile(): void {
    const wanted = new Map(
      this.flows
        .list()
        .filter((flow) => flow.definition.trigger.schedule !== undefined)
        .map((flow) => [flow.definition.id, flow]),
    );
    for (const [id, entry] of this.jobs) {
      const next = wanted.get(id);
      if (next !== undefined && cronOf(next) === cronOf(entry.flow)) {
        entry.flow = next;
        continue;
      }
      void entry.job.stop();
      this.schedulerRegistry.deleteCronJob(jobName(id));
      this.jobs.delete(id);
    }
    for (const [id, flow] of wanted) {
      if (this.jobs.has(id)) continue;
      const job = CronJob.from({
        cronTime: cronOf(flow),
        onTick: () => {
          const scheduledAt = job.lastDate() ?? new Date();
          this.tick(id, scheduledAt).then(
            (count) => count > 0 && this.logger.log(`${id}: scheduled poll published ${count} events`),
            (error: unknown) => this.logger.error(`${id}: scheduled poll failed: ${(error as Error).message}`),
          );
        },
        start: true,
      });
      this.schedulerRegistry.addCronJob(jobName(id), job);
      this.jobs.set(id, { flow, job });
    }
  }

  onApplicationShutdown(): void {
    for (const { job } of this.jobs.values()) void job.stop();
  }
}

function cronOf(flow: CompiledFlow): string {
  return flow.definition.trigger.schedule?.cron ?? '';
}

function jobName(flowId: string): string {
  return `flow:${flowId}`;
}

function splitAction(action: string): [string, string] {
  const dot = action.indexOf('.');
  return [action.slice(0, dot), action.slice(dot + 1)];
}
