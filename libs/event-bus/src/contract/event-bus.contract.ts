import { randomUUID } from 'node:crypto';
import { EventBusInputError, EventBusStateError } from '../event-bus.errors';
import type { DeliveredMessage, EventBus, MessageHandler } from '../event-bus.port';

export interface EventBusContractOptions {
  /** Longest wait for an expected delivery. Default 30 s (a Kafka group join can take seconds). */
  waitTimeoutMs?: number;
  /** Jest timeout of each case. Default 90 s. */
  testTimeoutMs?: number;
}

interface Sequenced {
  key: string;
  seq: number;
}

/**
 * Declares the jest cases every EventBus transport must pass. Call it at the top level of a
 * spec. `factory` returns a fresh bus per case; the suite connects and disconnects it. Uses
 * jest's globals only when called, so importing the lib never needs jest.
 */
export function describeEventBusContract(
  name: string,
  factory: () => Promise<EventBus>,
  options: EventBusContractOptions = {},
): void {
  const waitTimeoutMs = options.waitTimeoutMs ?? 30_000;
  const testTimeoutMs = options.testTimeoutMs ?? 90_000;

  async function eventually(check: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + waitTimeoutMs;
    while (!check()) {
      if (Date.now() > deadline)
        throw new Error(`timed out after ${waitTimeoutMs} ms waiting for ${what}`);
      await sleep(10);
    }
  }

  describe(`EventBus contract: ${name}`, () => {
    let bus: EventBus;

    beforeEach(async () => {
      bus = await factory();
      await bus.connect();
    });

    afterEach(async () => {
      await bus.disconnect();
    });

    it(
      'delivers a published message with its key, headers and value',
      async () => {
        const topic = uniqueName('roundtrip');
        const inbox = new Inbox();
        await bus.subscribe({
          groupId: uniqueName('g'),
          topics: [topic],
          fromBeginning: true,
          handler: inbox.handler,
        });
        const value = {
          orderId: 'SO-1001',
          total: 12.5,
          lines: [{ sku: 'A-1', quantity: 2 }],
          note: null,
        };

        await bus.publish(topic, [
          { key: 'SO-1001', headers: { 'x-flow-id': 'clarity-order-created' }, value },
        ]);
        await eventually(() => inbox.messages.length === 1, 'one delivery');

        const [message] = inbox.messages;
        expect(message).toMatchObject({
          topic,
          key: 'SO-1001',
          headers: { 'x-flow-id': 'clarity-order-created' },
          value,
        });
        expect(Number.isInteger(message!.partition) && message!.partition >= 0).toBe(true);
        expect(message!.offset).toMatch(/^\d+$/);
        expect(Math.abs(message!.timestamp - Date.now())).toBeLessThan(10 * 60_000);
      },
      testTimeoutMs,
    );

    it(
      'keeps the order of messages with the same key across many keys',
      async () => {
        const topic = uniqueName('order');
        const inbox = new Inbox<Sequenced>();
        await bus.subscribe({
          groupId: uniqueName('g'),
          topics: [topic],
          fromBeginning: true,
          handler: inbox.handler,
        });
        const keys = Array.from({ length: 16 }, (_, index) => `customer-${index}`);
        const perKey = 30;

        // Interleaved keys over several publish calls, as a busy webhook ingress would send them.
        for (let round = 0; round < 3; round++) {
          const batch = [];
          for (let seq = round * 10; seq < (round + 1) * 10; seq++) {
            for (const key of keys) batch.push({ key, value: { key, seq } });
          }
          await bus.publish(topic, batch);
        }
        await eventually(
          () => inbox.messages.length >= keys.length * perKey,
          `${keys.length * perKey} deliveries`,
        );

        for (const key of keys) {
          const seqs = inbox.messages
            .filter((message) => message.key === key)
            .map((message) => message.value.seq);
          expect(seqs).toEqual(Array.from({ length: perKey }, (_, seq) => seq));
        }
      },
      testTimeoutMs,
    );

    it(
      'gives every consumer group every message',
      async () => {
        const topic = uniqueName('fanout');
        const ledger = new Inbox<Sequenced>();
        const notifier = new Inbox<Sequenced>();
        await bus.subscribe({
          groupId: uniqueName('ledger'),
          topics: [topic],
          fromBeginning: true,
          handler: ledger.handler,
        });
        await bus.subscribe({
          groupId: uniqueName('notifier'),
          topics: [topic],
          fromBeginning: true,
          handler: notifier.handler,
        });

        await bus.publish(topic, sequence(40, 10));
        await eventually(
          () => ledger.messages.length >= 40 && notifier.messages.length >= 40,
          '40 deliveries per group',
        );

        expect(ledger.distinctValues()).toHaveLength(40);
        expect(notifier.distinctValues()).toHaveLength(40);
      },
      testTimeoutMs,
    );

    it(
      'splits the partitions between members of one group, without duplicates',
      async () => {
        const topic = uniqueName('split');
        const groupId = uniqueName('workers');
        await bus.ensureTopics([{ name: topic, partitions: 4 }]);
        const first = new Inbox<Sequenced>();
        const second = new Inbox<Sequenced>();
        await bus.subscribe({
          groupId,
          topics: [topic],
          fromBeginning: true,
          handler: first.handler,
        });
        await bus.subscribe({
          groupId,
          topics: [topic],
          fromBeginning: true,
          handler: second.handler,
        });

        await bus.publish(topic, sequence(200, 40));
        await eventually(
          () => new Set([...first.distinctValues(), ...second.distinctValues()]).size === 200,
          'all 200 messages across both members',
        );

        expect(first.messages.length + second.messages.length).toBe(200);
        expect(first.messages.length).toBeGreaterThan(0);
        expect(second.messages.length).toBeGreaterThan(0);
        const firstKeys = new Set(first.messages.map((message) => message.key));
        expect(second.messages.filter((message) => firstKeys.has(message.key))).toEqual([]);
      },
      testTimeoutMs,
    );

    it(
      'accepts more members in a group than the topic has partitions; idle members get nothing',
      async () => {
        const topic = uniqueName('idle');
        const groupId = uniqueName('workers');
        await bus.ensureTopics([{ name: topic, partitions: 1 }]);
        const members = [new Inbox<Sequenced>(), new Inbox<Sequenced>(), new Inbox<Sequenced>()];
        for (const member of members) {
          await bus.subscribe({
            groupId,
            topics: [topic],
            fromBeginning: true,
            handler: member.handler,
          });
        }

        await bus.publish(topic, sequence(10, 5));
        await eventually(
          () => members.some((member) => member.messages.length === 10),
          'one member to get all 10',
        );

        expect(members.map((member) => member.messages.length).sort()).toEqual([0, 0, 10]);
      },
      testTimeoutMs,
    );

    it(
      'delivers a rejected message again, and what follows it on the key only after it',
      async () => {
        const topic = uniqueName('redeliver');
        const attempts: number[] = [];
        let failedOnce = false;
        await bus.subscribe<Sequenced>({
          groupId: uniqueName('g'),
          topics: [topic],
          fromBeginning: true,
          handler: async (message) => {
            attempts.push(message.value.seq);
            if (message.value.seq === 2 && !failedOnce) {
              failedOnce = true;
              throw new Error('ERP answered 503');
            }
          },
        });

        await bus.publish(topic, sequence(5, 1));
        await eventually(() => attempts.length >= 6, 'five messages and one redelivery');

        expect(attempts).toEqual([0, 1, 2, 2, 3, 4]);
      },
      testTimeoutMs,
    );

    it(
      'with keyConcurrency, handles different keys of a partition side by side and each key in order',
      async () => {
        const topic = uniqueName('keys');
        await bus.ensureTopics([{ name: topic, partitions: 1 }]);
        const keys = ['order-1', 'order-2', 'order-3', 'order-4'];
        const perKey = 8;
        const messages = [];
        for (let seq = 0; seq < perKey; seq++)
          for (const key of keys) messages.push({ key, value: { key, seq } });
        await bus.publish(topic, messages);
        const running = new Set<string | null>();
        const seen = new Map<string, number[]>();
        let inFlight = 0;
        let mostInFlight = 0;
        let sameKeyOverlaps = 0;
        // The first message of every key waits until all four run at once: a bus that handled
        // them one at a time would stop here (and fail below once the wait gives up).
        const allKeysRunning = new Gate();
        await bus.subscribe<Sequenced>({
          groupId: uniqueName('g'),
          topics: [topic],
          fromBeginning: true,
          keyConcurrency: keys.length,
          handler: async (message) => {
            if (running.has(message.key)) sameKeyOverlaps += 1;
            running.add(message.key);
            inFlight += 1;
            mostInFlight = Math.max(mostInFlight, inFlight);
            if (inFlight === keys.length) allKeysRunning.open();
            if (message.value.seq === 0) await allKeysRunning.opened(waitTimeoutMs);
            else await sleep(message.value.seq % 3);
            seen.set(message.key!, [...(seen.get(message.key!) ?? []), message.value.seq]);
            inFlight -= 1;
            running.delete(message.key);
          },
        });
        await eventually(
          () => [...seen.values()].reduce((sum, seqs) => sum + seqs.length, 0) >= messages.length,
          `${messages.length} deliveries`,
        );

        expect(mostInFlight).toBe(keys.length);
        expect(sameKeyOverlaps).toBe(0);
        for (const key of keys)
          expect(seen.get(key)).toEqual(Array.from({ length: perKey }, (_, seq) => seq));
      },
      testTimeoutMs,
    );

    it(
      'with keyConcurrency, delivers a rejected message again before anything later of its key',
      async () => {
        const topic = uniqueName('keys-redeliver');
        await bus.ensureTopics([{ name: topic, partitions: 1 }]);
        const messages = [];
        for (let seq = 0; seq < 5; seq++)
          for (const key of ['a', 'b']) messages.push({ key, value: { key, seq } });
        await bus.publish(topic, messages);
        const attempts = new Map<string, number[]>([
          ['a', []],
          ['b', []],
        ]);
        let failedOnce = false;
        await bus.subscribe<Sequenced>({
          groupId: uniqueName('g'),
          topics: [topic],
          fromBeginning: true,
          keyConcurrency: 4,
          handler: async (message) => {
            attempts.get(message.key!)!.push(message.value.seq);
            await sleep(1);
            if (message.key === 'a' && message.value.seq === 1 && !failedOnce) {
              failedOnce = true;
              throw new Error('ERP answered 503');
            }
          },
        });
        await eventually(
          () => attempts.get('a')!.at(-1) === 4 && attempts.get('b')!.includes(4),
          'both keys to their last message',
        );

        expect(attempts.get('a')).toEqual([0, 1, 1, 2, 3, 4]);
        // Later messages of other keys may come again (at-least-once), but never out of order.
        const b = attempts.get('b')!;
        expect([...new Set(b)]).toEqual([0, 1, 2, 3, 4]);
        b.forEach((seq, index) => {
          if (index > 0 && seq > b[index - 1]!) expect(seq).toBe(b[index - 1]! + 1);
        });
      },
      testTimeoutMs,
    );

    it(
      'does not deliver acknowledged messages again when the group subscribes again',
      async () => {
        const topic = uniqueName('resume');
        const groupId = uniqueName('g');
        const before = new Inbox<Sequenced>();
        const subscription = await bus.subscribe({
          groupId,
          topics: [topic],
          fromBeginning: true,
          handler: before.handler,
        });
        await bus.publish(topic, [{ key: 'k', value: { key: 'k', seq: 1 } }]);
        await eventually(() => before.messages.length === 1, 'the first message');
        await subscription.close();

        await bus.publish(topic, [{ key: 'k', value: { key: 'k', seq: 2 } }]);
        const after = new Inbox<Sequenced>();
        await bus.subscribe({
          groupId,
          topics: [topic],
          fromBeginning: true,
          handler: after.handler,
        });
        await eventually(() => after.messages.length >= 1, 'the second message');

        // Same key, same partition: had seq 1 come back, it would have come first.
        expect(after.messages.map((message) => message.value.seq)).toEqual([2]);
      },
      testTimeoutMs,
    );

    it(
      'starts a new group at the beginning or at the end of the topic, as asked',
      async () => {
        const topic = uniqueName('start');
        await bus.publish(topic, [{ key: 'k', value: { key: 'k', seq: 1 } }]);
        const replayer = new Inbox<Sequenced>();
        const follower = new Inbox<Sequenced>();
        await bus.subscribe({
          groupId: uniqueName('replay'),
          topics: [topic],
          fromBeginning: true,
          handler: replayer.handler,
        });
        await bus.subscribe({
          groupId: uniqueName('follow'),
          topics: [topic],
          handler: follower.handler,
        });

        await bus.publish(topic, [{ key: 'k', value: { key: 'k', seq: 2 } }]);
        await eventually(
          () => replayer.messages.length >= 2 && follower.messages.length >= 1,
          'both groups',
        );

        expect(replayer.messages.map((message) => message.value.seq)).toEqual([1, 2]);
        expect(follower.messages.map((message) => message.value.seq)).toEqual([2]);
      },
      testTimeoutMs,
    );

    it(
      'creates topics once with the asked partitions and lists them',
      async () => {
        const topic = uniqueName('topics');
        await bus.ensureTopics([{ name: topic, partitions: 3 }]);
        await bus.ensureTopics([{ name: topic, partitions: 3 }]);
        await bus.ensureTopics([{ name: topic, partitions: 6 }]);

        const listed = await bus.listTopics();
        expect(listed.filter((info) => info.name === topic)).toEqual([
          { name: topic, partitions: 3 },
        ]);
      },
      testTimeoutMs,
    );

    it(
      'closes a subscription only after the handler in flight has finished',
      async () => {
        const topic = uniqueName('close');
        let release: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let started = false;
        let finished = false;
        const subscription = await bus.subscribe({
          groupId: uniqueName('g'),
          topics: [topic],
          fromBeginning: true,
          handler: async () => {
            started = true;
            await gate;
            finished = true;
          },
        });
        await bus.publish(topic, [{ key: 'k', value: { key: 'k', seq: 1 } }]);
        await eventually(() => started, 'the handler to start');

        let closed = false;
        const closing = subscription.close().then(() => (closed = true));
        await sleep(200);
        expect(closed).toBe(false);

        release();
        await closing;
        expect(finished).toBe(true);
      },
      testTimeoutMs,
    );

    it(
      'reports health while connected and refuses work after disconnect',
      async () => {
        expect(['memory', 'kafka']).toContain(bus.transport);
        await expect(bus.checkHealth()).resolves.toBeUndefined();

        await bus.disconnect();

        await expect(bus.checkHealth()).rejects.toThrow();
        await expect(bus.publish(uniqueName('late'), [{ value: 1 }])).rejects.toBeInstanceOf(
          EventBusStateError,
        );
      },
      testTimeoutMs,
    );

    it(
      'rejects malformed input with a message naming what is wrong',
      async () => {
        await expect(bus.publish('orders created', [{ value: 1 }])).rejects.toThrow(
          /topic name "orders created"/,
        );
        await expect(
          bus.publish(uniqueName('bad'), [
            { value: 1, headers: { attempt: 3 as unknown as string } },
          ]),
        ).rejects.toThrow(/messages\[0\]\.headers\.attempt must be a string/);
        await expect(
          bus.subscribe({
            groupId: '',
            topics: [uniqueName('bad')],
            handler: async () => undefined,
          }),
        ).rejects.toBeInstanceOf(EventBusInputError);
      },
      testTimeoutMs,
    );
  });
}

/** Opens once; `opened` waits for that, or gives up quietly after `giveUpMs` so a test fails instead of hanging. */
class Gate {
  private isOpen = false;
  private readonly waiters: (() => void)[] = [];

  open(): void {
    this.isOpen = true;
    this.waiters.splice(0).forEach((resolve) => resolve());
  }

  opened(giveUpMs: number): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, giveUpMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Records deliveries in arrival order. */
class Inbox<T = unknown> {
  readonly messages: DeliveredMessage<T>[] = [];
  readonly handler: MessageHandler<T> = async (message) => {
    this.messages.push(message);
  };

  distinctValues(): string[] {
    return [...new Set(this.messages.map((message) => JSON.stringify(message.value)))];
  }
}

/** `count` messages spread round-robin over `keys` keys, each carrying its key and sequence number. */
function sequence(count: number, keys: number): { key: string; value: Sequenced }[] {
  return Array.from({ length: count }, (_, seq) => {
    const key = `key-${seq % keys}`;
    return { key, value: { key, seq } };
  });
}

function uniqueName(prefix: string): string {
  return `contract.${prefix}.${randomUUID().slice(0, 8)}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
