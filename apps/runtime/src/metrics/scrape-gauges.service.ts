import { Inject, Injectable } from '@nestjs/common';
import { KafkaEventBus, type EventBus } from '@switchboard/event-bus';
import type { CompiledFlow } from '@switchboard/flow-engine';
import { DeadLetterRepository } from '@switchboard/persistence';
import { FlowRegistry } from '../flows/flow-registry.service';
import { flowTopics } from '../flows/flow-topics';
import { EVENT_BUS } from '../runtime.tokens';
import { RuntimeMetrics } from './runtime-metrics';

/** Gauges read from the database and the bus when scraped (DLQ size, consumer lag), not on the hot path. */
@Injectable()
export class ScrapeGauges {
  constructor(
    private readonly metrics: RuntimeMetrics,
    private readonly flows: FlowRegistry,
    private readonly deadLetters: DeadLetterRepository,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  /** Refreshes DLQ size and lag for every loaded flow; returns the lag per flow (empty on the memory bus). */
  async refresh(): Promise<Map<string, number>> {
    const flows = this.flows.list();
    this.metrics.dlqOpen.reset();
    for (const flow of flows) {
      const { total } = await this.deadLetters.list({ flowId: flow.definition.id, status: ['pending', 'review'] }, { limit: 1 });
      this.metrics.dlqOpen.labels(flow.definition.id).set(total);
    }
    const lags = new Map<string, number>();
    if (!(this.bus instanceof KafkaEventBus)) return lags;
    this.metrics.consumerLag.reset();
    for (const flow of flows) {
      const partitions = await this.bus.consumerGroupLag(flowTopics.group(flow.definition.id), consumedTopics(flow));
      const lag = partitions.reduce((sum, partition) => sum + partition.lag, 0);
      this.metrics.consumerLag.labels(flow.definition.id).set(lag);
      lags.set(flow.definition.id, lag);
    }
    return lags;
  }
}

function consumedTopics(flow: CompiledFlow): string[] {
  return [flow.definition.trigger.topic ?? flowTopics.trigger(flow.definition.id), flowTopics.delay(flow.definition.id)];
}
