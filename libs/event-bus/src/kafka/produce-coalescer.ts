import type { Message, Producer, TopicMessages } from 'kafkajs';

interface PendingSend {
  topic: string;
  messages: Message[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent publishes into produce requests: the first goes out at once; those that
 * arrive while it is in flight wait and then go together in one request. A broker handles one
 * request per connection at a time, so one send per caller capped ingress at a few hundred
 * events/s; batching keeps the same acks (-1) and per-partition order, with no added wait at low load.
 */
export class ProduceCoalescer {
  private queue: PendingSend[] = [];
  private sending = false;

  constructor(
    readonly producer: Producer,
    private readonly maxMessagesPerRequest = 1000,
  ) {}

  /** Resolves once the request that carried `messages` was acknowledged; rejects with its error. */
  send(topic: string, messages: Message[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ topic, messages, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        try {
          await this.producer.sendBatch({ acks: -1, topicMessages: byTopic(batch) });
        } catch (error) {
          // Every caller of the request hears of the failure; none is told its message is stored.
          for (const pending of batch) pending.reject(error);
          continue;
        }
        for (const pending of batch) pending.resolve();
      }
    } finally {
      this.sending = false;
    }
  }

  /** Whole publishes, oldest first, up to the request cap (a single larger publish goes alone). */
  private take(): PendingSend[] {
    let count = 0;
    let taken = 0;
    while (taken < this.queue.length) {
      count += this.queue[taken]!.messages.length;
      if (taken > 0 && count > this.maxMessagesPerRequest) break;
      taken += 1;
    }
    return this.queue.splice(0, taken);
  }
}

/** One entry per topic, messages in publish order (so each partition keeps its order). */
function byTopic(batch: PendingSend[]): TopicMessages[] {
  const topics = new Map<string, Message[]>();
  for (const pending of batch) {
    const messages = topics.get(pending.topic);
    if (messages === undefined) topics.set(pending.topic, [...pending.messages]);
    else messages.push(...pending.messages);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}
