import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { DeliveredMessage, EventBus, Subscription } from '@switchboard/event-bus';
import { decideRetry, type CompiledFlow } from '@switchboard/flow-engine';
import { ExecutionRecorder, type ExecutionStatus } from '@switchboard/persistence';
import { RuntimeConfig } from '../config/runtime-config';
import { DeadLetterService } from '../dlq/dead-letter.service';
import { FlowRegistry } from '../flows/flow-registry.service';
import { flowTopics } from '../flows/flow-topics';
import { RuntimeMetrics } from '../metrics/runtime-metrics';
import { EVENT_BUS } from '../runtime.tokens';
import { eventIdOf, fromMessage, toMessage, type Envelope } from './envelope';
import { FlowExecutor, type StepTrace } from './flow-executor.service';
import { FlowStepError } from './flow-failure';
import { IdempotencyGuard } from './idempotency.guard';
import { computeFlowKey } from './flow-key';

interface FlowSubscription {
  flow: CompiledFlow;
  subscriptions: Subscription[];
}

/**
 * Runs a worker per flow: a consumer group on the flow's trigger topic and on its delay topic.
 * Each event is retried per the flow's policy, then dead-lettered; every attempt is recorded.
 */
@Injectable()
export class FlowWorkerService implements OnApplicationShutdown {
  private readonly logger = new Logger(FlowWorkerService.name);
  private readonly running = new Map<string, FlowSubscription>();
  private reconciling: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly config: RuntimeConfig,
    private readonly flows: FlowRegistry,
    private readonly executor: FlowExecutor,
    private readonly recorder: ExecutionRecorder,
    private readonly deadLetters: DeadLetterService,
    private readonly idempotency: IdempotencyGuard,
    private readonly metrics: RuntimeMetrics,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  /** Subscribes a worker for every loaded flow and follows hot reloads. */
  async start(): Promise<void> {
    this.flows.onChange(() => {
      this.reconciling = this.reconciling.then(() => this.reconcile()).catch((error: unknown) => {
        this.logger.error(`could not apply flow changes to workers: ${String(error)}`);
      });
    });
    await this.reconcile();
  }

  /** Flow ids with a running worker. */
  runningFlows(): string[] {
    return [...this.running.keys()];
  }

  /** The topics a flow's workers consume: its trigger topic, then its delay topic. */
  consumedTopics(flowId: string): string[] {
    const flow = this.running.get(flowId)?.flow ?? this.flows.get(flowId);
    if (flow === undefined) throw new Error(`flow ${flowId} is not loaded`);
    return [triggerTopic(flow), flowTopics.delay(flowId)];
  }

  /**
   * Closes this instance's workers of one flow (in-flight events finish and commit), runs `work`,
   * then starts them again — for operations Kafka allows only on a group without members.
   */
  async withFlowStopped<T>(flowId: string, work: () => Promise<T>): Promise<T> {
    const run = this.reconciling.then(async () => {
      const running = this.running.get(flowId);
      if (running !== undefined) {
        await Promise.all(running.subscriptions.map((s) => s.close()));
        this.running.delete(flowId);
      }
      try {
        return await work();
      } finally {
        await this.reconcile();
      }
    });
    // Later hot reloads queue behind this; its failure is the caller's, not theirs.
    this.reconciling = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async reconcile(): Promise<void> {
    if (this.stopping) return;
    const wanted = new Map(this.flows.list().map((flow) => [flow.definition.id, flow]));
    for (const [id, running] of this.running) {
      const next = wanted.get(id);
      // Same trigger: the worker keeps its subscription and picks the new version per event.
      if (next !== undefined && triggerTopic(next) === triggerTopic(running.flow)) {
        running.flow = next;
        continue;
      }
      await Promise.all(running.subscriptions.map((s) => s.close()));
      this.running.delete(id);
    }
    for (const [id, flow] of wanted) {
      if (this.running.has(id)) continue;
      const topics = [triggerTopic(flow), flowTopics.delay(id), flow.dlqTopic];
      await this.bus.ensureTopics(topics.map((name) => ({ name })));
      const handler = (message: DeliveredMessage): Promise<void> => this.handle(id, message);
      // One member per flow on both topics: Kafka assigns a group's partitions across all its
      // members whatever each subscribed to, so per-topic members would leave partitions unread.
      const subscription = await this.bus.subscribe({
        groupId: flowTopics.group(id),
        topics: [triggerTopic(flow), flowTopics.delay(id)],
        fromBeginning: true,
        handler,
        // Execution rows are buffered; an offset is committed only once its effect's row is stored.
        beforeCommit: () => this.recorder.flush(),
        // Look a batch's events up in one query instead of one lookup per event.
        beforeBatch: (messages) => this.idempotency.prefetch(id, messages.map(eventIdOf)),
        // Events of different keys run side by side, so a slow or retrying event holds only its
        // key; a failure delivers later events again, which the idempotency guard absorbs.
        keyConcurrency: this.config.worker.keyConcurrency,
      });
      const subscriptions = [subscription];
      this.running.set(id, { flow, subscriptions });
      this.logger.log(`worker started for ${id}@${flow.definition.version} on ${triggerTopic(flow)}`);
    }
  }

  /** Processes one delivered message to a final outcome; rejects only when the outcome could not be recorded. */
  private async handle(flowId: string, message: DeliveredMessage): Promise<void> {
    const envelope = fromMessage(flowId, message);
    this.metrics.eventReceived(flowId);
    if (envelope.notBefore !== null && envelope.notBefore > Date.now()) {
      await sleep(envelope.notBefore - Date.now());
    }
    const flow = this.flowFor(envelope);
    if (flow === undefined) {
      await this.deadLetters.deadLetterUnroutable(envelope, `flow ${flowId}${envelope.pinnedVersion === null ? '' : `@${envelope.pinnedVersion}`} is not loaded`);
      return;
    }
    if (await this.idempotency.alreadyDone(flowId, envelope.id)) {
      this.record(flow, envelope, 'duplicate', Date.now(), [], null);
      return;
    }
    if (envelope.key === null) {
      try {
        envelope.key = await computeFlowKey(flow, envelope.payload);
      } catch (error) {
        const failure = new FlowStepError('key', 'config', `key expression failed: ${(error as Error).message}`, 'KeyError');
        this.record(flow, envelope, 'dead_lettered', Date.now(), [], failure);
        await this.deadLetters.deadLetter(flow, envelope, failure, 'pending');
        return;
      }
    }
    for (;;) {
      const startedAt = Date.now();
      const trace: StepTrace[] = [];
      try {
        await this.executor.run(flow, envelope, trace);
        this.record(flow, envelope, 'succeeded', startedAt, trace, null);
        this.idempotency.markDone(flowId, envelope.id);
        return;
      } catch (error) {
        if (!(error instanceof FlowStepError)) throw error;
        const decision = decideRetry(flow.retry, { failureType: error.failureType, retryAfterMs: error.retryAfterMs, message: error.message }, envelope.attempt);
        if (decision.action === 'retry' && !this.stopping) {
          this.record(flow, envelope, 'retrying', startedAt, trace, error);
          envelope.attempt += 1;
          if (decision.delayMs <= this.config.retry.inlineMaxMs) {
            await sleep(decision.delayMs);
            continue;
          }
          // A long back-off must not block the partition: park the event on the delay topic.
          envelope.notBefore = Date.now() + decision.delayMs;
          await this.bus.publish(flowTopics.delay(flowId), [toMessage(envelope)]);
          return;
        }
        if (decision.action === 'retry') {
          // Shutting down: leave the event unacknowledged so the next worker picks it up.
          throw error;
        }
        const status = decision.action === 'review' ? 'in_review' : 'dead_lettered';
        this.record(flow, envelope, status, startedAt, trace, error, decision.reason);
        await this.deadLetters.deadLetter(flow, envelope, error, decision.action === 'review' ? 'review' : 'pending', decision.reason);
        return;
      }
    }
  }

  private flowFor(envelope: Envelope): CompiledFlow | undefined {
    if (envelope.pinnedVersion !== null) return this.flows.getVersion(envelope.flowId, envelope.pinnedVersion);
    return this.flows.get(envelope.flowId);
  }

  private record(
    flow: CompiledFlow,
    envelope: Envelope,
    status: ExecutionStatus,
    startedAt: number,
    trace: StepTrace[],
    failure: FlowStepError | null,
    reason?: string,
  ): void {
    const finishedAt = Date.now();
    this.metrics.eventOutcome(flow.definition.id, status, finishedAt - startedAt);
    this.recorder.record({
      id: executionId(flow.definition.id, envelope),
      flowId: flow.definition.id,
      flowVersion: flow.definition.version,
      eventId: envelope.id,
      key: envelope.key,
      status,
      attempts: envelope.attempt,
      startedAt: new Date(startedAt),
      finishedAt: new Date(finishedAt),
      durationMs: finishedAt - startedAt,
      errorClass: failure === null ? null : `${failure.failureType}:${failure.errorClass}`,
      errorMessage: failure === null ? null : reason === undefined ? failure.message : `${failure.message} (${reason})`,
      trace,
      correlationId: envelope.correlationId,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.reconciling;
    await Promise.all([...this.running.values()].flatMap((r) => r.subscriptions.map((s) => s.close())));
    this.running.clear();
  }
}

function triggerTopic(flow: CompiledFlow): string {
  return flow.definition.trigger.topic ?? flowTopics.trigger(flow.definition.id);
}

/** One execution per event and flow (all its attempts); a replay is an execution of its own. */
function executionId(flowId: string, envelope: Envelope): string {
  const hex = createHash('sha256').update(`${flowId}\n${envelope.id}\n${envelope.replayOf ?? ''}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
