/**
 * Kafka event bus on its own: how fast `publish` is accepted with many callers at once (as the
 * webhook ingress calls it) and how fast a consumer group drains a topic, with no flow work.
 *
 *   KAFKA_BROKERS=… npm run bench:bus -- [--messages 5000] [--concurrency 32] [--seconds 20] [--json out.json]
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { KafkaEventBus } from '@switchboard/event-bus';
import { numberOption, parseArgs } from './lib/bench-report';
import { clarityOrder } from './lib/clarity-order';

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const brokers = process.env.KAFKA_BROKERS;
  if (brokers === undefined || brokers === '')
    throw new Error('KAFKA_BROKERS is required (scripts/kafka-local.sh start)');
  const messages = numberOption(options, 'messages', 5000);
  const concurrency = numberOption(options, 'concurrency', 32);
  const deadline = Date.now() + numberOption(options, 'seconds', 20) * 1000;
  const bus = new KafkaEventBus({
    brokers: brokers.split(','),
    clientId: 'sb-bench',
    defaultPartitions: 6,
    replicationFactor: 1,
  });
  await bus.connect();
  const topic = `sb.bench.bus.${randomBytes(4).toString('hex')}`;
  try {
    await bus.ensureTopics([{ name: topic }]);
    let next = 0;
    const publishStarted = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < messages && Date.now() < deadline) {
          const index = next++;
          await bus.publish(topic, [
            {
              key: String(index),
              headers: { 'sb-event-id': `evt-${index}` },
              value: clarityOrder(index),
            },
          ]);
        }
      }),
    );
    const published = next;
    const publishS = (performance.now() - publishStarted) / 1000;
    process.stdout.write(
      `publish: ${published} messages, ${concurrency} callers: ${Math.round(published / publishS)}/s\n`,
    );

    let consumed = 0;
    const consumeStarted = performance.now();
    const subscription = await bus.subscribe({
      groupId: `${topic}.group`,
      topics: [topic],
      fromBeginning: true,
      handler: async () => void (consumed += 1),
    });
    while (consumed < published && Date.now() < deadline + 20_000)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const consumeS = (performance.now() - consumeStarted) / 1000;
    process.stdout.write(
      `consume: ${consumed}/${published} messages (join included): ${Math.round(consumed / consumeS)}/s\n`,
    );
    await subscription.close();
    const json = options.get('json');
    const perSecond = (count: number, seconds: number): number => Math.round(count / seconds);
    if (json !== undefined) {
      writeFileSync(
        json,
        JSON.stringify(
          {
            concurrency,
            publishPerSecond: perSecond(published, publishS),
            consumePerSecond: perSecond(consumed, consumeS),
            published,
            consumed,
          },
          null,
          2,
        ),
      );
    }
  } finally {
    await bus.disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
