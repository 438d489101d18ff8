import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Epoch milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The target system of the benchmarked flow: takes canonical orders at `POST /sink/orders` and
 * stamps the delivery time of each expected order (by canonical sourceId), counting duplicates.
 */
export class BenchSink {
  private server: Server | undefined;
  private firstOrderId = 0;
  private deliveredAt = new Float64Array(0);
  /** Deliveries of orders already delivered (at-least-once redeliveries). */
  duplicates = 0;
  /** Deliveries of orders that were not expected (another run's ids, unreadable bodies). */
  unexpected = 0;
  delivered = 0;

  /** Starts listening on a random loopback port; resolves with the base URL. */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      if (request.method === 'GET' && request.url === '/health') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        return;
      }
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.take(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"stored":true}');
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Expects orders firstOrderId … firstOrderId+count-1 from now on; earlier stamps are forgotten. */
  expect(firstOrderId: number, count: number): void {
    this.firstOrderId = firstOrderId;
    this.deliveredAt = new Float64Array(count).fill(NaN);
    this.delivered = 0;
    this.duplicates = 0;
    this.unexpected = 0;
  }

  /** Delivery time (epoch ms) per expected order, NaN where none arrived. */
  deliveries(): Float64Array {
    return this.deliveredAt;
  }

  /** Resolves once `count` expected orders arrived, or after `timeoutMs` (the caller counts the loss). */
  async waitFor(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.delivered < count && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
  }

  async stop(): Promise<void> {
    await new Promise<void>(
      (resolve, reject) =>
        this.server?.close((error) => (error ? reject(error) : resolve())) ?? resolve(),
    );
    this.server?.closeAllConnections();
  }

  private take(body: string): void {
    const now = preciseNow();
    let index = NaN;
    try {
      const order = JSON.parse(body) as { id?: { sourceId?: string } };
      index = Number(order.id?.sourceId) - this.firstOrderId;
    } catch (error) {
      process.stderr.write(`bench sink: unreadable delivery (${(error as Error).message})\n`);
    }
    if (!(index >= 0 && index < this.deliveredAt.length)) {
      this.unexpected += 1;
      return;
    }
    if (!Number.isNaN(this.deliveredAt[index]!)) {
      this.duplicates += 1;
      return;
    }
    this.deliveredAt[index] = now;
    this.delivered += 1;
  }
}
