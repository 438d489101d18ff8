/**
 * Diagnostic preload for the benchmarked runtime (SB_BENCH_PRELOAD=bench/kafka-consume-probe.preload.ts):
 * every 2 s prints, per consumer group, the fetches kafkajs made, how long each took and how long
 * the member spent between one fetch and the next (the fetch cycle), the batches it handed over
 * with their size and handling time, and the offset commits — to see whether events wait for
 * the fetch loop (docs/benchmarks.md, finding 14).
 */
import { Kafka, type Consumer, type ConsumerConfig } from 'kafkajs';

interface GroupStats {
  fetches: number;
  fetchMs: number;
  cycleMs: number;
  lastFetchEnd: number | undefined;
  batches: number;
  messages: number;
  batchMs: number;
  maxBatchMs: number;
  commits: number;
}

const groups = new Map<string, GroupStats>();
const fresh = (): GroupStats => ({
  fetches: 0,
  fetchMs: 0,
  cycleMs: 0,
  lastFetchEnd: undefined,
  batches: 0,
  messages: 0,
  batchMs: 0,
  maxBatchMs: 0,
  commits: 0,
});

// eslint-disable-next-line @typescript-eslint/unbound-method -- re-bound below: this wraps the prototype method itself.
const createConsumer = Kafka.prototype.consumer;
Kafka.prototype.consumer = function (this: Kafka, config: ConsumerConfig): Consumer {
  const consumer = createConsumer.call(this, config);
  const stats = groups.get(config.groupId) ?? fresh();
  groups.set(config.groupId, stats);
  consumer.on(consumer.events.FETCH_START, () => {
    if (stats.lastFetchEnd !== undefined) stats.cycleMs += performance.now() - stats.lastFetchEnd;
  });
  consumer.on(consumer.events.FETCH, (event) => {
    stats.fetches += 1;
    stats.fetchMs += event.payload.duration;
    stats.lastFetchEnd = performance.now();
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
    stats.batches += 1;
    stats.messages += event.payload.batchSize;
    stats.batchMs += event.payload.duration;
    stats.maxBatchMs = Math.max(stats.maxBatchMs, event.payload.duration);
  });
  consumer.on(consumer.events.COMMIT_OFFSETS, () => {
    stats.commits += 1;
  });
  return consumer;
};

setInterval(() => {
  for (const [groupId, stats] of groups) {
    if (stats.fetches === 0) continue;
    const perBatch = (value: number): string =>
      stats.batches === 0 ? '-' : (value / stats.batches).toFixed(1);
    process.stderr.write(
      `consume probe ${groupId}: ${stats.fetches} fetches, avg ${(stats.fetchMs / stats.fetches).toFixed(1)} ms, ` +
        `between fetches avg ${(stats.cycleMs / stats.fetches).toFixed(1)} ms; ${stats.batches} batches, ` +
        `${perBatch(stats.messages)} messages and ${perBatch(stats.batchMs)} ms each (max ${stats.maxBatchMs} ms); ${stats.commits} commits\n`,
    );
    Object.assign(stats, fresh(), { lastFetchEnd: stats.lastFetchEnd });
  }
}, 2000).unref();
