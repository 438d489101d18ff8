/**
 * Diagnostic preload for the benchmarked runtime (SB_BENCH_PRELOAD=bench/kafka-produce-probe.preload.ts):
 * every 2 s prints how many produce requests kafkajs sent, messages per request, their round trip
 * and the worst event-loop lag, to tell a slow broker from a busy runtime.
 */
import { Kafka, type Producer, type ProducerBatch } from 'kafkajs';

const stats = { requests: 0, messages: 0, ms: 0, maxMs: 0, maxLagMs: 0 };
// eslint-disable-next-line @typescript-eslint/unbound-method -- re-bound below: this wraps the prototype method itself.
const createProducer = Kafka.prototype.producer;
Kafka.prototype.producer = function (
  this: Kafka,
  ...args: Parameters<Kafka['producer']>
): Producer {
  const producer = createProducer.apply(this, args);
  const sendBatch = producer.sendBatch.bind(producer);
  producer.sendBatch = async (batch: ProducerBatch) => {
    const started = performance.now();
    try {
      return await sendBatch(batch);
    } finally {
      const ms = performance.now() - started;
      stats.requests += 1;
      stats.ms += ms;
      stats.maxMs = Math.max(stats.maxMs, ms);
      stats.messages += (batch.topicMessages ?? []).reduce(
        (sum, topic) => sum + topic.messages.length,
        0,
      );
    }
  };
  return producer;
};

let lastTick = performance.now();
setInterval(() => {
  const now = performance.now();
  stats.maxLagMs = Math.max(stats.maxLagMs, now - lastTick - 100);
  lastTick = now;
}, 100).unref();
setInterval(() => {
  if (stats.requests > 0) {
    process.stderr.write(
      `probe: ${stats.requests} produce requests, ${(stats.messages / stats.requests).toFixed(1)} messages each, ` +
        `avg ${(stats.ms / stats.requests).toFixed(1)} ms, max ${stats.maxMs.toFixed(0)} ms; event-loop lag max ${stats.maxLagMs.toFixed(0)} ms\n`,
    );
  }
  Object.assign(stats, { requests: 0, messages: 0, ms: 0, maxMs: 0, maxLagMs: 0 });
}, 2000).unref();
