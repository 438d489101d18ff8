import { randomBytes } from 'node:crypto';
import { signWebhookPayload } from '@switchboard/connector-sdk';
import { createTestDatabase } from '@switchboard/persistence';
import { startRuntime, type RunningRuntime } from '../apps/runtime/src/runtime';
import { eventually } from './support/eventually';
import { ADMIN_HEADERS, copyFixtureFlows, testRuntimeConfig } from './support/runtime-harness';
import { ShopServer } from './support/shop-server';

const WEBHOOK_SECRET = 'whsec_test_only';
const ORDERS = 40;

/**
 * The memory bus keeps what the workers have not handled in the process: with a slow target, the
 * ingress must push back (503 + Retry-After) at bus.memory.maxBacklogPerPartition instead of
 * piling events up, and a sender that retries gets every event delivered once.
 */
describe('memory-bus back-pressure (runtime as configured, real PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let shop: ShopServer;
  let runtime: RunningRuntime;
  let signedAt = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    database = await createTestDatabase();
    shop = new ShopServer();
    const shopUrl = await shop.start();
    const config = testRuntimeConfig({
      database: { url: database.url, schema: database.schema },
      ...copyFixtureFlows(),
      shopUrl,
      masterKey: randomBytes(32).toString('base64'),
    });
    config.bus.memory.maxBacklogPerPartition = 3;
    // The bus the runtime builds from its configuration, not one handed in by the test.
    runtime = await startRuntime(config, { quiet: true });
    const response = await fetch(`${runtime.url}/api/secrets/test-shop.webhookSecret`, {
      method: 'PUT',
      headers: { ...ADMIN_HEADERS, 'content-type': 'application/json' },
      body: JSON.stringify({ value: WEBHOOK_SECRET }),
    });
    expect(response.status).toBe(200);
  });

  afterAll(async () => {
    await runtime?.close();
    await shop?.stop();
    await database?.drop();
  });

  async function sendOrder(id: number): Promise<Response> {
    const raw = JSON.stringify({
      id: `evt-bp-${id}`,
      type: 'order.created',
      order: { id: `bp-${id}`, currency: 'EUR', total: '10.00', createdAt: '2026-11-24T10:00:00Z' },
    });
    return fetch(`${runtime.url}/hooks/test-shop/order.created`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shop-signature': signWebhookPayload({ secret: WEBHOOK_SECRET, rawBody: raw, timestamp: ++signedAt }),
      },
      body: raw,
    });
  }

  it('answers 503 with Retry-After: 1 while the workers are behind, and delivers every retried event once', async () => {
    const release = shop.holdSink();
    const refused: number[] = [];
    for (let id = 1; id <= ORDERS; id += 1) {
      const response = await sendOrder(id);
      if (response.status === 503) {
        expect(response.headers.get('retry-after')).toBe('1');
        const body = (await response.json()) as { error: string; message: string };
        expect(body.error).toBe('bus_unavailable');
        expect(body.message).toMatch(/the runtime is behind on flow shop-order-created: .*have not handled \(limit 3\)/);
        refused.push(id);
      } else {
        expect(response.status).toBe(202);
      }
    }
    // Four partitions of at most three waiting events each cannot take 40.
    expect(refused.length).toBeGreaterThan(0);
    release();
    // The sender comes back after Retry-After, as webhook senders do.
    for (const id of refused) {
      await eventually(async () => (await sendOrder(id)).status === 202, 20_000, `order ${id} to be accepted on retry`);
    }
    await eventually(() => shop.stored.size === ORDERS, 20_000, `all ${ORDERS} orders at the sink`);
    expect([...shop.stored.keys()].every((key) => key !== '')).toBe(true);
  });
});
