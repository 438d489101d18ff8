import { Injectable } from '@nestjs/common';
import { ExecutionRepository } from '@switchboard/persistence';

const RECENT_LIMIT = 50_000;
/** Event ids per lookup query; more wait for the next one. */
const MAX_LOOKUP_BATCH = 500;

interface Waiter {
  resolve(done: boolean): void;
  reject(error: unknown): void;
}

/** The lookups of one flow: those waiting for the next query, and whether one is running. */
interface FlowLookups {
  queued: Map<string, Waiter[]>;
  querying: boolean;
}

/**
 * Tells whether a flow already produced its effect for an event, so redeliveries and replays
 * run once. Recent successes are answered from memory (their execution rows may still sit in the
 * recorder's batch); older ones from the executions table.
 *
 * Every event not in memory still needs the table (a webhook sender's retry or another instance's
 * redelivery looks like a first delivery), but not a query each: the first lookup of a flow goes
 * out at once and lookups arriving while it runs share the next query, so under load the guard
 * costs one round trip per batch instead of one per event, and adds no wait when idle.
 */
@Injectable()
export class IdempotencyGuard {
  private readonly recent = new Set<string>();
  private readonly lookups = new Map<string, FlowLookups>();

  constructor(private readonly executions: ExecutionRepository) {}

  async alreadyDone(flowId: string, eventId: string): Promise<boolean> {
    if (this.recent.has(`${flowId}\n${eventId}`)) return true;
    return new Promise<boolean>((resolve, reject) => {
      let flow = this.lookups.get(flowId);
      if (flow === undefined) {
        flow = { queued: new Map(), querying: false };
        this.lookups.set(flowId, flow);
      }
      const waiters = flow.queued.get(eventId);
      if (waiters === undefined) flow.queued.set(eventId, [{ resolve, reject }]);
      else waiters.push({ resolve, reject });
      if (!flow.querying) void this.query(flowId, flow);
    });
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

  /** Answers the queued lookups of one flow, a batch per query, until none are left. */
  private async query(flowId: string, flow: FlowLookups): Promise<void> {
    flow.querying = true;
    try {
      while (flow.queued.size > 0) {
        const batch = new Map<string, Waiter[]>();
        for (const [eventId, waiters] of flow.queued) {
          batch.set(eventId, waiters);
          flow.queued.delete(eventId);
          if (batch.size === MAX_LOOKUP_BATCH) break;
        }
        try {
          const succeeded = await this.executions.succeededAmong(flowId, [...batch.keys()]);
          for (const [eventId, waiters] of batch)
            for (const waiter of waiters) waiter.resolve(succeeded.has(eventId));
        } catch (error) {
          for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
        }
      }
    } finally {
      flow.querying = false;
      if (flow.queued.size === 0) this.lookups.delete(flowId);
    }
  }
}
