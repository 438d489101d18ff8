import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EventBus } from '@switchboard/event-bus';
import type { CompiledFlow } from '@switchboard/flow-engine';
import { AuditLogRepository, DeadLetterRepository, type DeadLetterRecord } from '@switchboard/persistence';
import { deadLetterAlert } from '../alerts/dead-letter-alert';
import { AlertService } from '../alerts/alert.service';
import { FlowRegistry } from '../flows/flow-registry.service';
import { flowTopics } from '../flows/flow-topics';
import { RuntimeMetrics } from '../metrics/runtime-metrics';
import { EVENT_BUS } from '../runtime.tokens';
import { toMessage, type Envelope } from '../worker/envelope';
import type { FlowStepError } from '../worker/flow-failure';

/** Error context headers on DLQ messages, named like Kafka Connect's `__connect.errors.*`. */
export const DLQ_HEADER = {
  topic: 'sb.errors.topic',
  partition: 'sb.errors.partition',
  offset: 'sb.errors.offset',
  flowId: 'sb.errors.flow.id',
  flowVersion: 'sb.errors.flow.version',
  stage: 'sb.errors.stage',
  failureType: 'sb.errors.failure.type',
  exceptionClass: 'sb.errors.exception.class.name',
  exceptionMessage: 'sb.errors.exception.message',
  attempts: 'sb.errors.attempts',
} as const;

export class DeadLetterStateError extends Error {
  override readonly name = 'DeadLetterStateError';
}

export interface ReplayOptions {
  /** `original` pins the flow version the event failed on; `current` runs today's flow. */
  version: 'original' | 'current';
  actor: string;
}

/** Parks failed events (DLQ topic + an indexed row) and brings them back on replay. */
@Injectable()
export class DeadLetterService {
  private readonly logger = new Logger(DeadLetterService.name);

  constructor(
    private readonly repository: DeadLetterRepository,
    private readonly audit: AuditLogRepository,
    private readonly flows: FlowRegistry,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly alerts: AlertService,
    private readonly metrics: RuntimeMetrics,
  ) {}

  /** Publishes to the flow's DLQ topic with error headers, then indexes it for the admin API. */
  async deadLetter(
    flow: CompiledFlow,
    envelope: Envelope,
    failure: FlowStepError,
    status: 'pending' | 'review',
    reason?: string,
  ): Promise<void> {
    const message = toMessage(envelope);
    message.headers = {
      ...message.headers,
      [DLQ_HEADER.topic]: envelope.source?.topic ?? '',
      [DLQ_HEADER.partition]: String(envelope.source?.partition ?? ''),
      [DLQ_HEADER.offset]: envelope.source?.offset ?? '',
      [DLQ_HEADER.flowId]: flow.definition.id,
      [DLQ_HEADER.flowVersion]: String(flow.definition.version),
      [DLQ_HEADER.stage]: failure.step,
      [DLQ_HEADER.failureType]: failure.failureType,
      [DLQ_HEADER.exceptionClass]: failure.errorClass,
      [DLQ_HEADER.exceptionMessage]: failure.message,
      [DLQ_HEADER.attempts]: String(envelope.attempt),
    };
    await this.bus.publish(flow.dlqTopic, [message]);
    await this.repository.insert({
      flowId: flow.definition.id,
      flowVersion: flow.definition.version,
      eventId: envelope.id,
      key: envelope.key,
      envelope: storedEnvelope(envelope),
      errorClass: failure.errorClass,
      errorMessage: reason === undefined ? failure.message : `${failure.message} (${reason})`,
      failureType: failure.failureType,
      attempts: envelope.attempt,
      originalTopic: envelope.source?.topic ?? null,
      originalPartition: envelope.source?.partition ?? null,
      originalOffset: envelope.source?.offset ?? null,
      status,
    });
    this.logger.warn(`dead-lettered ${flow.definition.id} event ${envelope.id} (${failure.failureType}): ${failure.message}`);
    this.metrics.eventDeadLettered(flow.definition.id, status, failure.failureType);
    this.alerts.raiseInBackground(deadLetterAlert({ flowId: flow.definition.id, eventId: envelope.id, key: envelope.key, failureType: failure.failureType, errorClass: failure.errorClass, message: failure.message, status }));
  }

  /** An event whose flow is gone cannot run anywhere: keep it for a person to decide. */
  async deadLetterUnroutable(envelope: Envelope, message: string): Promise<void> {
    await this.repository.insert({
      flowId: envelope.flowId,
      flowVersion: envelope.pinnedVersion ?? 0,
      eventId: envelope.id,
      key: envelope.key,
      envelope: storedEnvelope(envelope),
      errorClass: 'FlowNotLoaded',
      errorMessage: message,
      failureType: 'config',
      attempts: envelope.attempt,
      originalTopic: envelope.source?.topic ?? null,
      originalPartition: envelope.source?.partition ?? null,
      originalOffset: envelope.source?.offset ?? null,
      status: 'pending',
    });
    this.alerts.raiseInBackground(deadLetterAlert({ flowId: envelope.flowId, eventId: envelope.id, key: envelope.key, failureType: 'config', errorClass: 'FlowNotLoaded', message, status: 'pending' }));
  }

  /** Sends a dead letter back through its flow; the idempotency guard keeps the effect single. */
  async replay(record: DeadLetterRecord, options: ReplayOptions): Promise<void> {
    if (record.status === 'discarded') {
      throw new DeadLetterStateError(`dead letter ${record.id} was discarded and cannot be replayed`);
    }
    const flow = this.flows.get(record.flowId);
    if (flow === undefined) throw new DeadLetterStateError(`flow ${record.flowId} is not loaded`);
    if (options.version === 'original' && this.flows.getVersion(record.flowId, record.flowVersion) === undefined) {
      throw new DeadLetterStateError(
        `flow ${record.flowId}@${record.flowVersion} is no longer loaded (the runtime keeps versions it ran since start); replay with version "current"`,
      );
    }
    const stored = record.envelope as StoredEnvelope;
    const envelope: Envelope = {
      ...stored,
      flowId: record.flowId,
      attempt: 1,
      notBefore: null,
      replayOf: record.id,
      pinnedVersion: options.version === 'original' ? record.flowVersion : null,
      source: null,
    };
    // The delay topic is private to the flow, so a replay never re-feeds other consumers of a shared topic.
    await this.bus.publish(flowTopics.delay(record.flowId), [toMessage(envelope)]);
    // A second replay of the same letter is harmless (the idempotency guard absorbs it), so a lost race is not an error.
    await this.repository.markReplayed(record.id);
    await this.audit.append({
      actor: options.actor,
      action: 'dlq.replay',
      subjectType: 'dead_letter',
      subjectId: record.id,
      details: { version: options.version, flowId: record.flowId },
    });
  }

  async discard(record: DeadLetterRecord, reason: string, actor: string): Promise<void> {
    if (record.status !== 'pending' && record.status !== 'review') {
      throw new DeadLetterStateError(`dead letter ${record.id} is ${record.status}; only pending items can be discarded`);
    }
    await this.repository.markDiscarded(record.id, reason);
    await this.audit.append({ actor, action: 'dlq.discard', subjectType: 'dead_letter', subjectId: record.id, details: { reason } });
  }
}

type StoredEnvelope = Omit<Envelope, 'flowId' | 'attempt' | 'notBefore' | 'replayOf' | 'pinnedVersion' | 'source'>;

function storedEnvelope(envelope: Envelope): StoredEnvelope {
  return {
    id: envelope.id,
    key: envelope.key,
    headers: envelope.headers,
    payload: envelope.payload,
    correlationId: envelope.correlationId,
    receivedAt: envelope.receivedAt,
  };
}
