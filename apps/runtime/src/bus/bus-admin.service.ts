import { Inject, Injectable } from '@nestjs/common';
import { EventBusStateError, EventBusUnavailableError, KafkaEventBus, type EventBus, type OffsetResetTarget } from '@switchboard/event-bus';
import { FlowRegistry } from '../flows/flow-registry.service';
import { flowTopics } from '../flows/flow-topics';
import { ApiError } from '../http/api-error';
import { EVENT_BUS } from '../runtime.tokens';
import { FlowWorkerService } from '../worker/flow-worker.service';

/** What `GET /api/bus` answers: the transport, its topics and how far behind each flow's group is. */
export interface BusOverview {
  transport: 'memory' | 'kafka';
  durable: boolean;
  topics: Array<{ name: string; partitions: number }>;
  flows: Array<{ flowId: string; group: string; lag: Array<{ topic: string; partition: number; lag: number }>; totalLag: number }>;
}

/** Where a flow's consumer group stands after an offset reset, per topic and partition. */
export interface OffsetResetResult {
  flowId: string;
  group: string;
  offsets: Array<{ topic: string; partition: number; offset: string }>;
}

/** The bus as operators see it: topics, consumer-group lag per flow, and offset resets (Kafka only). */
@Injectable()
export class BusAdminService {
  constructor(
    private readonly flows: FlowRegistry,
    private readonly workers: FlowWorkerService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  /** Topics with partition counts, and each loaded flow's group lag on its trigger and delay topics. */
  async overview(): Promise<BusOverview> {
    return answerUnavailable(() => this.describe());
  }

  private async describe(): Promise<BusOverview> {
    const topics = await this.bus.listTopics();
    const partitions = new Map(topics.map((topic) => [topic.name, topic.partitions]));
    const flows: BusOverview['flows'] = [];
    for (const flow of this.flows.list()) {
      const flowId = flow.definition.id;
      const group = flowTopics.group(flowId);
      const consumed = this.workers.consumedTopics(flowId).filter((topic) => partitions.has(topic));
      const lag =
        this.bus instanceof KafkaEventBus
          ? (await this.bus.consumerGroupLag(group, consumed)).map(({ topic, partition, lag: behind }) => ({ topic, partition, lag: behind }))
          : // The memory bus hands each message to its group as it is published: nothing waits.
            consumed.flatMap((topic) => Array.from({ length: partitions.get(topic) ?? 0 }, (_, partition) => ({ topic, partition, lag: 0 })));
      flows.push({ flowId, group, lag, totalLag: lag.reduce((sum, entry) => sum + entry.lag, 0) });
    }
    return { transport: this.bus.transport, durable: this.bus.durable, topics, flows };
  }

  /**
   * Moves a flow's consumer group on its trigger and delay topics. This instance's workers of the
   * flow pause for it; other instances must be stopped first (Kafka refuses a group with members).
   */
  async resetOffsets(flowId: string, to: OffsetResetTarget): Promise<OffsetResetResult> {
    if (this.flows.get(flowId) === undefined) throw new ApiError(404, 'not_found', `no flow ${flowId} is loaded`);
    const bus = this.bus;
    if (!(bus instanceof KafkaEventBus)) {
      throw new ApiError(409, 'conflict', `offsets can only be reset on the kafka transport; this runtime runs the ${bus.transport} bus, which keeps no offsets`);
    }
    const group = flowTopics.group(flowId);
    const topics = this.workers.consumedTopics(flowId);
    try {
      const offsets = await answerUnavailable(() => this.workers.withFlowStopped(flowId, async () => {
        const moved: OffsetResetResult['offsets'] = [];
        for (const topic of topics) {
          for (const { partition, offset } of await bus.resetOffsets(group, topic, to)) moved.push({ topic, partition, offset });
        }
        return moved;
      }));
      return { flowId, group, offsets };
    } catch (error) {
      if (error instanceof EventBusStateError) {
        throw new ApiError(409, 'conflict', `${error.message} (other runtime instances still consume flow ${flowId}: stop them, reset, start them again)`);
      }
      throw error;
    }
  }
}

/** The cluster not answering is the operator's 503 (try again later), not a server bug. */
async function answerUnavailable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EventBusUnavailableError) throw new ApiError(503, 'bus_unavailable', error.message);
    throw error;
  }
}
