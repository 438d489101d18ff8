import type { Message, Producer, TopicMessages } from 'kafkajs';
import { RequestCoalescer } from './request-coalescer';

interface Publish {
  topic: string;
  messages: Message[];
}

/**
 * Coalesces concurrent publishes into produce requests (a RequestCoalescer): the first goes out
 * at once; those that arrive while it is in flight go together in the next request. One send per
 * caller capped ingress at a few hundred events/s; batching keeps the same acks (-1) and
 * per-partition order, with no added wait at low load.
 */
export class ProduceCoalescer {
  private readonly requests: RequestCoalescer<Publish>;

  constructor(
    readonly producer: Producer,
    maxMessagesPerRequest = 1000,
  ) {
    this.requests = new RequestCoalescer(
      (publishes) =>
        producer.sendBatch({ acks: -1, topicMessages: byTopic(publishes) }).then(() => undefined),
      (queued) => wholePublishesUpTo(queued, maxMessagesPerRequest),
    );
  }

  /** Resolves once the request that carried `messages` was acknowledged; rejects with its error. */
  send(topic: string, messages: Message[]): Promise<void> {
    return this.requests.send({ topic, messages });
  }
}

/** Whole publishes, oldest first, up to the request cap (a single larger publish goes alone). */
function wholePublishesUpTo(queued: readonly Publish[], maxMessages: number): number {
  let count = 0;
  let taken = 0;
  while (taken < queued.length) {
    count += queued[taken]!.messages.length;
    if (taken > 0 && count > maxMessages) break;
    taken += 1;
  }
  return taken;
}

/** One entry per topic, messages in publish order (so each partition keeps its order). */
function byTopic(publishes: Publish[]): TopicMessages[] {
  const topics = new Map<string, Message[]>();
  for (const publish of publishes) {
    const messages = topics.get(publish.topic);
    if (messages === undefined) topics.set(publish.topic, [...publish.messages]);
    else messages.push(...publish.messages);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}
