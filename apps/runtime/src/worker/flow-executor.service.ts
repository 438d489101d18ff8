import { Inject, Injectable } from '@nestjs/common';
import type { EventBus } from '@switchboard/event-bus';
import type { CompiledFlow } from '@switchboard/flow-engine';
import { SchemaRegistry } from '@switchboard/schema-registry';
import { ACTION_INVOKER, EVENT_BUS } from '../runtime.tokens';
import { HEADER, type Envelope } from './envelope';
import { classifyStepError, FlowStepError } from './flow-failure';
import type { ActionInvoker } from './action-invoker';

export interface StepTrace {
  step: 'transform' | 'validate' | 'deliver';
  ms: number;
  ok: boolean;
  detail?: string;
}

export interface FlowRunResult {
  output: unknown;
  trace: StepTrace[];
}

/** Runs one event through one flow version: transform → validate → deliver. Throws FlowStepError. */
@Injectable()
export class FlowExecutor {
  constructor(
    private readonly registry: SchemaRegistry,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(ACTION_INVOKER) private readonly actions: ActionInvoker,
  ) {}

  async run(flow: CompiledFlow, envelope: Envelope, trace: StepTrace[]): Promise<FlowRunResult> {
    const output = await this.step(trace, 'transform', async () =>
      flow.mapping === null
        ? envelope.payload
        : flow.mapping.evaluate(envelope.payload, {
            event: { id: envelope.id, key: envelope.key, headers: envelope.headers, receivedAt: envelope.receivedAt },
            flow: { id: flow.definition.id, version: flow.definition.version },
          }),
    );
    const outputRef = flow.definition.transform?.output;
    if (outputRef !== undefined) {
      await this.step(trace, 'validate', async () => {
        const result = this.registry.validator(outputRef)(output);
        if (!result.valid) {
          const issues = result.issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`);
          throw new FlowStepError('validate', 'config', `output does not match ${outputRef}: ${issues.join('; ')}`, 'OutputSchemaError', undefined, result.issues);
        }
      });
    }
    await this.step(trace, 'deliver', async () => {
      const target = flow.definition.target;
      if (target.topic !== undefined) {
        await this.bus.publish(target.topic, [
          {
            key: envelope.key,
            value: output,
            headers: {
              // Downstream flows dedupe on this id, so a redelivered event publishes the same id.
              [HEADER.eventId]: `${flow.definition.id}:${envelope.id}`,
              [HEADER.correlationId]: envelope.correlationId,
              [HEADER.sourceFlow]: `${flow.definition.id}@${flow.definition.version}`,
            },
          },
        ]);
      } else {
        await this.actions.invoke(target.action.connector, target.action.name, output, {
          idempotencyKey: `${flow.definition.id}:${envelope.id}`,
          correlationId: envelope.correlationId,
        });
      }
    });
    return { output, trace };
  }

  private async step<T>(trace: StepTrace[], name: StepTrace['step'], work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await work();
      trace.push({ step: name, ms: round(performance.now() - started), ok: true });
      return result;
    } catch (error) {
      const failure = classifyStepError(name, error);
      trace.push({ step: name, ms: round(performance.now() - started), ok: false, detail: failure.message });
      throw failure;
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
