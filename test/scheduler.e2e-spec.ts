import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryEventBus } from '@switchboard/event-bus';
import { createTestDatabase } from '@switchboard/persistence';
import type { RunningRuntime } from '../apps/runtime/src/runtime';
import { eventually } from './support/eventually';
import { bootRuntime, copyFixtureFlows } from './support/runtime-harness';
import { ShopServer } from './support/shop-server';

describe('scheduled triggers (two runtime instances, one database)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let shop: ShopServer;
  let bus: MemoryEventBus;
  const runtimes: RunningRuntime[] = [];
  const published: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    shop = new ShopServer();
    const shopUrl = await shop.start();
    bus = new MemoryEventBus();
    await bus.connect();
    // Count what the scheduler puts on the flow's trigger topic: each polled order must appear once.
    await bus.subscribe({
      groupId: 'test-observer',
      topics: ['sb.in.shop-order-poll'],
      fromBeginning: true,
      handler: async (message) => void published.push(String(message.key)),
    });
    const options = {
      database: { url: database.url, schema: database.schema },
      ...copyFixtureFlows('scheduled'),
      shopUrl,
      bus,
      masterKey: randomBytes(32).toString('base64'),
    };
    runtimes.push(await bootRuntime(options), await bootRuntime(options));
  });

  afterAll(async () => {
    for (const runtime of runtimes) await runtime.close();
    await bus?.disconnect();
    await shop?.stop();
    await database?.drop();
  });

  function addOrder(seq: number): void {
    shop.orders.push({
      id: `P-${seq}`,
      seq,
      currency: 'USD',
      total: '10.00',
      createdAt: new Date().toISOString(),
    });
  }

  it('polls from the persisted cursor and publishes each order once, though both instances tick', async () => {
    for (const seq of [1, 2, 3]) addOrder(seq);
    await eventually(() => shop.stored.size === 3, 15_000, 'three polled orders stored');
    for (const seq of [4, 5]) addOrder(seq);
    await eventually(() => shop.stored.size === 5, 15_000, 'two more polled orders stored');
    // Several more ticks of both instances must not publish anything again.
    await sleep(2_500);
    expect([...published].sort()).toEqual(['P-1', 'P-2', 'P-3', 'P-4', 'P-5']);
    expect(shop.stored.size).toBe(5);
  });
});
