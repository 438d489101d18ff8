export interface PartitionKeySchedulerOptions<M> {
  /** Most messages submitted and not finished, whether running or waiting for their key. At least 1. */
  concurrency: number;
  run: (message: M) => Promise<void>;
  /** Told of every rejection as it happens (the scheduler has stopped starting messages by then). */
  onRejected?: (message: M, error: unknown) => void;
  /** Told whenever a message finished, resolved or rejected (after `lastFinished` moved). */
  onSettled?: () => void;
}

interface Entry<M> {
  message: M;
  key: string | null;
  state: 'waiting' | 'running' | 'done' | 'failed' | 'dropped';
}

/**
 * Runs the messages of one partition, submitted in offset order: messages with different keys
 * side by side, those with the same key strictly one after another, each only after every
 * earlier message of its key finished. A null key is a key like any other, so keyless messages
 * run one at a time among themselves. After the first rejection nothing more starts; what runs
 * finishes and whatever waited for a key is dropped, so the caller can deliver again from the
 * first message that did not finish (`finishedCount`) without anything of a key overtaking.
 */
export class PartitionKeyScheduler<M extends { key: string | null }> {
  /** Submitted messages from the first unfinished one on, in submission order (`head` skips the finished). */
  private order: Entry<M>[] = [];
  private head = 0;
  /** Per key, its unfinished messages in order: the first runs, the others wait. */
  private readonly byKey = new Map<string | null, Entry<M>[]>();
  private unfinished = 0;
  private running = 0;
  private rejected = false;
  private finishedInOrder = 0;
  private lastInOrder: M | undefined;
  private roomWaiters: ((room: boolean) => void)[] = [];
  private settledWaiters: (() => void)[] = [];

  constructor(private readonly options: PartitionKeySchedulerOptions<M>) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new RangeError(`concurrency must be a whole number >= 1, got ${options.concurrency}`);
  }

  /** Whether a handler rejected: nothing submitted from then on runs. */
  get failed(): boolean {
    return this.rejected;
  }

  /** Whether another message may be submitted now. */
  get hasRoom(): boolean {
    return !this.rejected && this.unfinished < this.options.concurrency;
  }

  /** Whether no handler is running (and, so, none waiting). */
  get idle(): boolean {
    return this.running === 0;
  }

  /** How many submitted messages, from the first on, finished with none unfinished before them. */
  get finishedCount(): number {
    return this.finishedInOrder;
  }

  /** The last message of that finished run, if any. */
  get lastFinished(): M | undefined {
    return this.lastInOrder;
  }

  /** Resolves true once another message may be submitted, false once none may (after a rejection). */
  room(): Promise<boolean> {
    if (this.rejected) return Promise.resolve(false);
    if (this.hasRoom) return Promise.resolve(true);
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Takes the partition's next message; it starts at once when its key is free. Needs room. */
  submit(message: M): void {
    if (!this.hasRoom)
      throw new Error('PartitionKeyScheduler: submit() without room (await room() first)');
    const entry: Entry<M> = { message, key: message.key, state: 'waiting' };
    this.order.push(entry);
    this.unfinished += 1;
    const queue = this.byKey.get(entry.key);
    if (queue === undefined) {
      this.byKey.set(entry.key, [entry]);
      this.start(entry);
    } else {
      queue.push(entry);
    }
  }

  /** Resolves when no handler runs any more: every submitted message finished or was dropped. */
  settled(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private start(entry: Entry<M>): void {
    entry.state = 'running';
    this.running += 1;
    // Starts at once; a handler that throws instead of rejecting rejects all the same.
    const outcome = new Promise<void>((resolve) => resolve(this.options.run(entry.message)));
    void outcome.then(
      () => this.finish(entry, 'done'),
      (error: unknown) => {
        this.rejected = true;
        this.options.onRejected?.(entry.message, error);
        this.finish(entry, 'failed');
      },
    );
  }

  private finish(entry: Entry<M>, state: 'done' | 'failed'): void {
    entry.state = state;
    this.running -= 1;
    this.unfinished -= 1;
    const queue = this.byKey.get(entry.key)!;
    queue.shift();
    const next = queue[0];
    if (next === undefined) {
      this.byKey.delete(entry.key);
    } else if (!this.rejected) {
      this.start(next);
    } else {
      // Never started: delivered again after the rejected message, in their order.
      for (const dropped of queue) dropped.state = 'dropped';
      this.unfinished -= queue.length;
      this.byKey.delete(entry.key);
    }
    this.advanceFinishedRun();
    this.options.onSettled?.();
    if (this.rejected || this.hasRoom)
      this.roomWaiters.splice(0).forEach((resolve) => resolve(!this.rejected));
    if (this.running === 0) this.settledWaiters.splice(0).forEach((resolve) => resolve());
  }

  private advanceFinishedRun(): void {
    while (this.order[this.head]?.state === 'done') {
      this.lastInOrder = this.order[this.head]!.message;
      this.finishedInOrder += 1;
      this.head += 1;
    }
    // Drop the finished run now and then, so a long-lived scheduler keeps only what is unfinished.
    if (this.head >= 1024 && this.head * 2 >= this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}
