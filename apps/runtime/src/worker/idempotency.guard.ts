import { Injectable } from '@nestjs/common';
import { ExecutionRepository } from '@switchboard/persistence';

const RECENT_LIMIT = 50_000;

/**
 * Tells whether a flow already produced its effect for an event, so redeliveries and replays
 * run once. Recent successes are answered from memory (their execution rows may still sit in the
 * recorder's batch); older ones from the executions table.
 */
@Injectable()
export class IdempotencyGuard {
  private readonly recent = new Set<string>();

  constructor(private readonly executions: ExecutionRepository) {}

  async alreadyDone(flowId: string, eventId: string): Promise<boolean> {
    if (this.recent.has(`${flowId}\n${eventId}`)) return true;
    return this.executions.hasSucceeded(flowId, eventId);
  }

  markDone(flowId: string, eventId: string): void {
    const entry = `${flowId}\n${eventId}`;
    this.recent.add(entry);
    if (this.recent.size > RECENT_LIMIT) {
      // Sets iterate in insertion order: drop the oldest entry.
      const oldest = this.recent.values().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }
}
