import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedWebhook {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on 127.0.0.1 that records webhook deliveries, for tests. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly waiters: Array<() => void> = [];
  /** Status codes to answer with, in order; 200 once exhausted. */
  private readonly plannedStatuses: number[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts a receiver on a free port. */
  static async start(): Promise<WebhookReceiver> {
    const holder: { receiver?: WebhookReceiver } = {};
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        holder.receiver?.record({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.statusCode = holder.receiver?.plannedStatuses.shift() ?? 200;
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}`);
    return holder.receiver;
  }

  /** Answers the next requests with these statuses (then 200). */
  respondWith(...statuses: number[]): void {
    this.plannedStatuses.push(...statuses);
  }

  /** Resolves once at least `count` requests matching `filter` have arrived (fails after `timeoutMs`). */
  async waitFor(
    count: number,
    filter: (webhook: ReceivedWebhook) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.received.filter(filter);
      if (matching.length >= count) return matching;
      if (Date.now() > deadline)
        throw new Error(
          `expected ${count} webhooks, got ${matching.length}: ${JSON.stringify(this.received.map((webhook) => webhook.headers['x-sandbox-event']))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Stops the server. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private record(webhook: ReceivedWebhook): void {
    this.received.push(webhook);
    for (const wake of this.waiters.splice(0)) wake();
  }
}
