import { Injectable } from '@nestjs/common';
import { ExecutionRepository } from '@switchboard/persistence';

const RECENT_LIMIT = 50_000;
/** Event ids per lookup query; more wait for the next one. */
const MAX_LOOKUP_BATCH = 500;
/**
 * How long a prefetched "not done yet" answer stands in for a query. It only has to outlive the
 * handling of the batch it was fetched for; a longer wait asks the table again.
 */
const PREFETCH_TTL_MS = 2_000;
const PREFETCH_LIMIT = 10_000;

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
 * costs one round trip per batch instead of one per event, and adds no more than a turn of the
 * event loop when idle. A bus that hands over batches (Kafka) lets the worker `prefetch` a whole
 * batch before its events run, which events that start one after another (same key, or one key at
 * a time) could not share otherwise; the batches of one fetch (a partition each), announced in the
 * same turn, share one query too.
 */
@Injectable()
export class IdempotencyGuard {
  private readonly recent = new Set<string>();
  private readonly lookups = new Map<string, FlowLookups>();
  /** Events of a batch about to be handled that had not succeeded when looked up, with when that answer expires. */
  private readonly prefetchedNotDone = new Map<string, number>();

  constructor(private readonly executions: ExecutionRepository) {}

  async alreadyDone(flowId: string, eventId: string): Promise<boolean> {
    const entry = `${flowId}\n${eventId}`;
    if (this.recent.has(entry)) return true;
    const expiresAt = this.prefetchedNotDone.get(entry);
    if (expiresAt !== undefined) {
      // One answer per prefetch: a second delivery of the same event asks again.
      this.prefetchedNotDone.delete(entry);
      if (expiresAt > Date.now()) return false;
    }
    return this.lookUp(flowId, eventId);
  }

  /**
   * Looks up a batch of events about to be handled, in one query, so their `alreadyDone` checks
   * need none. Succeeded ones join the recent successes (success is final); the others are
   * answered "not done" once each within a short time, as a query just before would have.
   */
  async prefetch(flowId: string, eventIds: readonly string[]): Promise<void> {
    const unknown = [...new Set(eventIds)].filter(
      (eventId) => !this.recent.has(`${flowId}\n${eventId}`),
    );
    if (unknown.length === 0) return;
    const done = await Promise.all(unknown.map((eventId) => this.lookUp(flowId, eventId)));
    const expiresAt = Date.now() + PREFETCH_TTL_MS;
    if (this.prefetchedNotDone.size + unknown.length > PREFETCH_LIMIT) this.dropExpiredPrefetches();
    for (const [index, eventId] of unknown.entries()) {
      if (done[index]) this.markDone(flowId, eventId);
      else if (this.prefetchedNotDone.size < PREFETCH_LIMIT)
        this.prefetchedNotDone.set(`${flowId}\n${eventId}`, expiresAt);
    }
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

  private dropExpiredPrefetches(): void {
    const now = Date.now();
    for (const [entry, expiresAt] of this.prefetchedNotDone)
      if (expiresAt <= now) this.prefetchedNotDone.delete(entry);
  }

  /** Queues a lookup for the flow's next query; the first query starts on the next turn of the event loop. */
  private lookUp(flowId: string, eventId: string): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      let flow = this.lookups.get(flowId);
      if (flow === undefined) {
        flow = { queued: new Map(), querying: false };
        this.lookups.set(flowId, flow);
      }
      const waiters = flow.queued.get(eventId);
      if (waiters === undefined) flow.queued.set(eventId, [{ resolve, reject }]);
      else waiters.push({ resolve, reject });
      if (!flow.querying) {
        flow.querying = true;
        // Lookups made in the same turn (the batches of one Kafka fetch, one per partition) share the query.
        const queued = flow;
        setImmediate(() => void this.query(flowId, queued));
      }
    });
  }

  /** Answers the queued lookups of one flow, a batch per query, until none are left. */
  private async query(flowId: string, flow: FlowLookups): Promise<void> {
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
