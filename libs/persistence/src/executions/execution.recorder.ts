import { DataSource } from 'typeorm';
import {
  ExecutionFlushError,
  ExecutionRecorderOverflowError,
  PersistenceError,
  PersistenceInputError,
} from '../persistence.errors';
import { type ExecutionRecord } from './execution-record';
import { ExecutionRepository } from './execution.repository';

/** Where batches go; `ExecutionRepository` is the real one. */
export interface ExecutionBatchWriter {
  upsertMany(records: readonly ExecutionRecord[]): Promise<void>;
}

/** The slice of a pino-style logger the recorder needs. */
export interface RecorderLogger {
  warn(details: object, message: string): void;
}

export interface ExecutionRecorderOptions {
  /** Longest a record waits before its batch is written; default 50. */
  flushIntervalMs?: number;
  /** Records per write; reaching it writes at once; default 500. */
  maxBatch?: number;
  /** Buffered records at which `record()` returns false and `whenWritable()` starts waiting; default 10 000. */
  highWaterMark?: number;
  /** Buffered records beyond which `record()` throws instead of growing memory further; default 4 × highWaterMark. */
  hardLimit?: number;
  /** Longest wait between attempts while the database keeps failing; default 5 000. */
  maxRetryDelayMs?: number;
  logger?: RecorderLogger;
}

export interface ExecutionRecorderStats {
  buffered: number;
  writtenRecords: number;
  writes: number;
  failedWrites: number;
  lastError: string | undefined;
}

/**
 * Buffers execution snapshots from the hot path and writes them in multi-row upserts. Snapshots of
 * one execution waiting in the buffer collapse to the latest. A failed write keeps its records and
 * is retried with back-off; nothing is dropped. Call `close()` before the process exits.
 */
export class ExecutionRecorder {
  private buffer = new Map<string, ExecutionRecord>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<unknown> | undefined;
  private consecutiveFailures = 0;
  private closed = false;
  private writableWaiters: Array<() => void> = [];
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly highWaterMark: number;
  private readonly hardLimit: number;
  private readonly maxRetryDelayMs: number;
  private readonly logger: RecorderLogger;
  private readonly writer: ExecutionBatchWriter;
  private readonly counters = {
    writtenRecords: 0,
    writes: 0,
    failedWrites: 0,
    lastError: undefined as string | undefined,
  };

  /** Writes to the `executions` table of `target`, or to any batch writer. */
  constructor(target: DataSource | ExecutionBatchWriter, options: ExecutionRecorderOptions = {}) {
    this.writer = target instanceof DataSource ? new ExecutionRepository(target) : target;
    this.flushIntervalMs = positiveInteger(options.flushIntervalMs, 50, 'flushIntervalMs');
    this.maxBatch = positiveInteger(options.maxBatch, 500, 'maxBatch');
    this.highWaterMark = positiveInteger(options.highWaterMark, 10_000, 'highWaterMark');
    this.hardLimit = positiveInteger(options.hardLimit, this.highWaterMark * 4, 'hardLimit');
    this.maxRetryDelayMs = positiveInteger(options.maxRetryDelayMs, 5_000, 'maxRetryDelayMs');
    if (this.hardLimit < this.highWaterMark) {
      throw new PersistenceInputError(
        `execution recorder: hardLimit (${this.hardLimit}) must not be below highWaterMark (${this.highWaterMark})`,
      );
    }
    this.logger = options.logger ?? {
      warn: (details, message) => console.warn(message, details),
    };
  }

  /**
   * Queues a snapshot without touching the database. Returns false once the buffer is past its
   * high-water mark: the caller should `await whenWritable()` before taking more work.
   */
  record(execution: ExecutionRecord): boolean {
    if (this.closed)
      throw new PersistenceError('execution recorder is closed; it takes no more records');
    const { buffer } = this;
    if (buffer.size >= this.hardLimit && !buffer.has(execution.id)) {
      throw new ExecutionRecorderOverflowError(
        `execution recorder holds ${buffer.size} unwritten records (hard limit ${this.hardLimit}); ` +
          `the database is not keeping up (${this.counters.failedWrites} failed writes, last: ${this.counters.lastError ?? 'none'})`,
      );
    }
    buffer.set(execution.id, execution);
    if (this.inFlight === undefined) {
      if (buffer.size >= this.maxBatch && this.consecutiveFailures === 0) void this.startWrite();
      else if (this.timer === undefined) this.timer = this.schedule(this.flushIntervalMs);
    }
    return buffer.size < this.highWaterMark;
  }

  /** Resolves at once while below the high-water mark, else once the buffer has drained to half of it. */
  whenWritable(): Promise<void> {
    if (this.buffer.size < this.highWaterMark) return Promise.resolve();
    return new Promise((resolve) => this.writableWaiters.push(resolve));
  }

  /** Writes everything buffered so far; rejects with ExecutionFlushError (records kept) if the database refuses. */
  async flush(): Promise<void> {
    this.cancelTimer();
    for (;;) {
      if (this.inFlight !== undefined) {
        await this.inFlight;
        continue;
      }
      if (this.buffer.size === 0) return;
      const error = await this.startWrite();
      if (error !== undefined) {
        throw new ExecutionFlushError(
          `could not write ${this.buffer.size} buffered execution records; they are kept for the next attempt`,
          { cause: error },
        );
      }
    }
  }

  /** Stops accepting records and writes what is left; rejects (records kept in memory) if that fails. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** Counters for metrics and health: how much is waiting and how writes have gone. */
  stats(): ExecutionRecorderStats {
    return { buffered: this.buffer.size, ...this.counters };
  }

  /** Starts one write of up to maxBatch records; resolves with the error if it failed. */
  private startWrite(): Promise<unknown> {
    this.cancelTimer();
    const write = this.writeBatch().finally(() => {
      this.inFlight = undefined;
      this.afterWrite();
    });
    this.inFlight = write;
    return write;
  }

  private async writeBatch(): Promise<unknown> {
    const batch = this.takeBatch();
    try {
      await this.writer.upsertMany(batch);
    } catch (error) {
      // Put the batch back without overwriting snapshots recorded while it was in flight: those are newer.
      for (const record of batch) {
        if (!this.buffer.has(record.id)) this.buffer.set(record.id, record);
      }
      this.consecutiveFailures++;
      this.counters.failedWrites++;
      this.counters.lastError = error instanceof Error ? error.message : String(error);
      this.logger.warn(
        {
          err: error,
          records: batch.length,
          buffered: this.buffer.size,
          failedWrites: this.counters.failedWrites,
        },
        'execution batch write failed; records kept and retried',
      );
      return error;
    }
    this.consecutiveFailures = 0;
    this.counters.writes++;
    this.counters.writtenRecords += batch.length;
    if (this.writableWaiters.length > 0 && this.buffer.size <= this.highWaterMark / 2) {
      const waiters = this.writableWaiters;
      this.writableWaiters = [];
      for (const resolve of waiters) resolve();
    }
    return undefined;
  }

  private takeBatch(): ExecutionRecord[] {
    if (this.buffer.size <= this.maxBatch) {
      const batch = [...this.buffer.values()];
      this.buffer = new Map();
      return batch;
    }
    const batch: ExecutionRecord[] = [];
    for (const [id, record] of this.buffer) {
      batch.push(record);
      this.buffer.delete(id);
      if (batch.length === this.maxBatch) break;
    }
    return batch;
  }

  private afterWrite(): void {
    if (this.buffer.size === 0 || this.timer !== undefined) return;
    if (this.consecutiveFailures > 0) {
      const backoff = this.flushIntervalMs * 2 ** Math.min(this.consecutiveFailures, 16);
      this.timer = this.schedule(Math.min(backoff, this.maxRetryDelayMs));
    } else if (this.buffer.size >= this.maxBatch) {
      void this.startWrite();
    } else {
      this.timer = this.schedule(this.flushIntervalMs);
    }
  }

  private schedule(delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timer = undefined;
      if (this.inFlight === undefined) void this.startWrite();
    }, delayMs);
    // Shutdown goes through close(); a pending flush alone must not keep the process alive.
    timer.unref();
    return timer;
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new PersistenceInputError(
      `execution recorder: ${name} must be a positive integer, got ${value}`,
    );
  }
  return value;
}
