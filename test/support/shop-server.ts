import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The remote system of the test-shop connector: an order sink that counts what it stored (once
 * per idempotency key) and can be told to fail, plus a list of orders for polling.
 */
export class ShopServer {
  readonly stored = new Map<string, unknown>();
  readonly orders: Array<{ id: string; seq: number; currency: string; total: string; createdAt: string }> = [];
  sinkRequests = 0;
  private failNext = 0;
  private held: Promise<void> | undefined;
  private server: Server | undefined;

  /** The next `count` sink requests answer 503. */
  failSink(count: number): void {
    this.failNext = count;
  }

  /** Sink requests wait (a slow target) until the returned function is called. */
  holdSink(): () => void {
    let release: () => void = () => undefined;
    this.held = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.held = undefined;
      release();
    };
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void this.answer(request).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async answer(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') return { status: 200, body: { ok: true } };
    if (request.method === 'POST' && url.pathname === '/sink/orders') {
      this.sinkRequests += 1;
      await this.held;
      if (this.failNext > 0) {
        this.failNext -= 1;
        return { status: 503, body: { error: 'sink unavailable' } };
      }
      const key = String(request.headers['idempotency-key'] ?? '');
      if (!this.stored.has(key)) this.stored.set(key, JSON.parse(Buffer.concat(chunks).toString('utf8')));
      return { status: 200, body: { stored: true } };
    }
    if (request.method === 'GET' && url.pathname === '/shop/orders') {
      const since = Number(url.searchParams.get('since') ?? '0');
      return { status: 200, body: { orders: this.orders.filter((order) => order.seq > since) } };
    }
    return { status: 404, body: { error: 'not found' } };
  }
}
