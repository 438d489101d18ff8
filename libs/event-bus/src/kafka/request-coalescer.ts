interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent calls into requests: the first goes out at once; the calls that arrive
 * while a request is in flight wait and then go together in the next one. A Kafka broker handles
 * one request per connection at a time, so a request per caller queues on the broker anyway;
 * coalescing keeps each caller's answer (resolved once the request that carried its item
 * succeeded, rejected with its error) and adds no wait at low load.
 */
export class RequestCoalescer<T> {
  private queue: Pending<T>[] = [];
  private sending = false;

  /**
   * @param sendRequest sends one request carrying `items` (oldest first).
   * @param takeCount how many of the queued items (oldest first, at least one) the next request carries.
   */
  constructor(
    private readonly sendRequest: (items: T[]) => Promise<void>,
    private readonly takeCount: (queued: readonly T[]) => number = (queued) => queued.length,
  ) {}

  /** Resolves once the request that carried `item` succeeded; rejects with its error. */
  send(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const count = Math.max(1, this.takeCount(this.queue.map((pending) => pending.item)));
        const batch = this.queue.splice(0, count);
        try {
          await this.sendRequest(batch.map((pending) => pending.item));
        } catch (error) {
          // Every caller of the request hears of the failure; none is told it succeeded.
          for (const pending of batch) pending.reject(error);
          continue;
        }
        for (const pending of batch) pending.resolve();
      }
    } finally {
      this.sending = false;
    }
  }
}
