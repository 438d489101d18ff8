import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  type BusLogger,
  describeEventBusContract,
  EventBusStateError,
  EventBusUnavailableError,
  KafkaEventBus,
  type KafkaEventBusOptions,
} from '@switchboard/event-bus';
import { obtainKafka, type ObtainedKafka } from './support/kafka';

let kafka: ObtainedKafka;

beforeAll(async () => {
  kafka = await obtainKafka();
}, 300_000);

afterAll(async () => {
  await kafka?.stop();
});

function kafkaBus(overrides: Partial<KafkaEventBusOptions> = {}): KafkaEventBus {
  // The broker's least session timeout: members notice rebalances within a heartbeat of 600 ms.
  return new KafkaEventBus({
    brokers: kafka.brokers,
    clientId: 'e2e-event-bus',
    redeliveryDelayMs: 50,
    sessionTimeoutMs: 6_000,
    ...overrides,
  });
}

describeEventBusContract('kafka', async () => kafkaBus());

describe('KafkaEventBus on a real broker', () => {
  const buses: KafkaEventBus[] = [];

  async function connectedBus(
    overrides: Partial<KafkaEventBusOptions> = {},
  ): Promise<KafkaEventBus> {
    const bus = kafkaBus(overrides);
    buses.push(bus);
    await bus.connect();
    return bus;
  }

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.disconnect()));
  });

  it('creates topics with the configured partitions, on first use and on ensureTopics', async () => {
    const bus = await connectedBus({ defaultPartitions: 3 });
    const [used, ensured, explicit] = ['used', 'ensured', 'explicit'].map(uniqueTopic);

    await bus.publish(used!, [{ key: 'k', value: 1 }]);
    await bus.ensureTopics([{ name: ensured! }, { name: explicit!, partitions: 5 }]);

    const listed = await bus.listTopics();
    expect(listed.filter((topic) => [used, ensured, explicit].includes(topic.name))).toEqual(
      [
        { name: used, partitions: 3 },
        { name: ensured, partitions: 3 },
        { name: explicit, partitions: 5 },
      ].sort((a, b) => a.name!.localeCompare(b.name!)),
    );
    expect(listed.some((topic) => topic.name.startsWith('__'))).toBe(false);
  });

  it('gives messages a member closed without acknowledging to another member of the group', async () => {
    const bus = await connectedBus();
    const topic = uniqueTopic('handover');
    const groupId = uniqueTopic('workers');
    await bus.ensureTopics([{ name: topic, partitions: 4 }]);
    let crash: (reason: Error) => void = () => undefined;
    const crashed = new Promise<never>((_, reject) => (crash = reject));
    const heldByFirst: number[] = [];
    const first = await bus.subscribe<number>({
      groupId,
      topics: [topic],
      fromBeginning: true,
      handler: async (message) => {
        heldByFirst.push(message.value);
        await crashed;
      },
    });
    const second: number[] = [];
    await bus.subscribe<number>({
      groupId,
      topics: [topic],
      fromBeginning: true,
      handler: async (message) => void second.push(message.value),
    });

    await bus.publish(
      topic,
      Array.from({ length: 40 }, (_, index) => ({ key: `order-${index % 20}`, value: index })),
    );
    await eventually(() => heldByFirst.length > 0, 'the first member to hold a message');
    const closing = first.close();
    crash(new Error('worker shutting down mid-flight'));
    await closing;

    await eventually(
      () => new Set(second).size === 40,
      'the second member to have all 40 messages',
    );
    expect(second).toEqual(expect.arrayContaining(heldByFirst));
  });

  it('shows each fetched batch to beforeBatch before its messages reach the handler, and delivers on when it fails', async () => {
    const bus = await connectedBus();
    const topic = uniqueTopic('announced');
    await bus.ensureTopics([{ name: topic, partitions: 2 }]);
    await bus.publish(topic, batch('a', 30));
    const announced = new Set<string>();
    const handledUnannounced: string[] = [];
    const handled: string[] = [];
    let calls = 0;
    await bus.subscribe<string>({
      groupId: uniqueTopic('announced-group'),
      topics: [topic],
      fromBeginning: true,
      beforeBatch: async (messages) => {
        calls += 1;
        messages.forEach((message) => announced.add(message.value as string));
        // A failing hint must not stop delivery.
        if (calls === 1) throw new Error('lookup failed');
      },
      handler: async (message) => {
        if (!announced.has(message.value)) handledUnannounced.push(message.value);
        handled.push(message.value);
      },
    });
    await eventually(() => new Set(handled).size === 30, 'all 30 messages handled');
    expect(handledUnannounced).toEqual([]);
    // Batches, not single messages: fewer calls than messages.
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(30);
  });

  it('with keyConcurrency, commits only up to the first message that did not finish, however many after it succeeded', async () => {
    const bus = await connectedBus();
    const topic = uniqueTopic('key-commits');
    const groupId = uniqueTopic('workers');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    // Offsets 0..4: b0 fails once, after c0 and d0 (later, other keys) succeeded.
    await bus.publish(topic, [
      { key: 'a', value: 'a0' },
      { key: 'b', value: 'b0' },
      { key: 'c', value: 'c0' },
      { key: 'd', value: 'd0' },
      { key: 'b', value: 'b1' },
    ]);
    const started: string[] = [];
    const succeeded: string[] = [];
    let running = 0;
    let mostRunning = 0;
    let release: () => void = () => undefined;
    const retryMayFinish = new Promise<void>((resolve) => (release = resolve));
    await bus.subscribe<string>({
      groupId,
      topics: [topic],
      fromBeginning: true,
      keyConcurrency: 4,
      handler: async (message) => {
        const attempt = started.filter((value) => value === message.value).length + 1;
        started.push(message.value);
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        try {
          if (message.value === 'b0' && attempt === 1) {
            await eventually(
              () => succeeded.includes('c0') && succeeded.includes('d0'),
              'c0 and d0 to succeed while b0 runs',
            );
            throw new Error('ERP answered 503');
          }
          // The redelivered b0 holds on until the committed offset was looked at.
          if (message.value === 'b0') await retryMayFinish;
          succeeded.push(message.value);
        } finally {
          running -= 1;
        }
      },
    });

    await eventually(
      () => started.filter((value) => value === 'b0').length === 2,
      'b0 to be delivered again',
    );
    const [whileRetrying] = await bus.consumerGroupLag(groupId, [topic]);
    release();
    await eventually(() => succeeded.includes('b1'), 'b1 after the retried b0');
    await eventually(
      async () => (await bus.consumerGroupLag(groupId, [topic]))[0]?.committedOffset === '5',
      'the whole partition to be committed',
    );

    expect(mostRunning).toBeGreaterThan(1);
    expect(whileRetrying?.committedOffset).toBe('1');
    // c0 and d0 succeeded before b0 failed; they came again all the same, and b1 only after b0.
    expect(started.filter((value) => value === 'c0')).toHaveLength(2);
    expect(started.filter((value) => value === 'd0')).toHaveLength(2);
    expect(started.filter((value) => value === 'a0')).toHaveLength(1);
    expect(started.indexOf('b1')).toBeGreaterThan(started.lastIndexOf('b0'));
    expect(succeeded.indexOf('b1')).toBeGreaterThan(succeeded.indexOf('b0'));
  });

  it('delivers on while beforeCommit is held or failing, and commits only once it settled', async () => {
    const bus = await connectedBus({ commitIntervalMs: 0 });
    const topic = uniqueTopic('commit-behind');
    const groupId = uniqueTopic('workers');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    await bus.publish(topic, batch('first', 3));
    const handled: string[] = [];
    let beforeCommitCalls = 0;
    let recordsDurable: () => void = () => undefined;
    const durable = new Promise<void>((resolve) => (recordsDurable = resolve));
    await bus.subscribe<string>({
      groupId,
      topics: [topic],
      fromBeginning: true,
      handler: async (message) => void handled.push(message.value),
      beforeCommit: async () => {
        beforeCommitCalls += 1;
        if (beforeCommitCalls === 1) throw new Error('database unavailable');
        await durable;
      },
    });

    await eventually(() => handled.length === 3, 'the first batch to be handled');
    await eventually(
      () => beforeCommitCalls >= 2,
      'beforeCommit to be tried again after its failure',
    );
    // Delivery does not wait for the commit: later messages are handled while it is held.
    await bus.publish(topic, batch('second', 3));
    await eventually(() => handled.length === 6, 'the second batch to be handled');
    const [whileHeld] = await bus.consumerGroupLag(groupId, [topic]);
    recordsDurable();
    await eventually(
      async () => (await bus.consumerGroupLag(groupId, [topic]))[0]?.committedOffset === '6',
      'every handled offset to be committed',
    );

    expect(whileHeld?.committedOffset).toBeNull();
    expect(handled).toEqual(
      [...batch('first', 3), ...batch('second', 3)].map((message) => message.value),
    );
  });

  it('moves the partitions of a killed process to the surviving member, unacknowledged messages included', async () => {
    const bus = await connectedBus();
    const topic = uniqueTopic('killed');
    const groupId = uniqueTopic('workers');
    await bus.ensureTopics([{ name: topic, partitions: 2 }]);
    const child = await startHangingMember(kafka.brokers, topic, groupId);
    try {
      await bus.publish(topic, [{ key: 'payout-1', value: 'payout-1' }]);
      await child.received;
      child.process.kill('SIGKILL');

      // Kafka notices the dead member when its session times out; the join waits for that.
      const survivor: string[] = [];
      await bus.subscribe<string>({
        groupId,
        topics: [topic],
        fromBeginning: true,
        handler: async (message) => void survivor.push(message.value),
      });
      await eventually(
        () => survivor.includes('payout-1'),
        'the survivor to get the killed member’s message',
        60_000,
      );
    } finally {
      child.process.kill('SIGKILL');
    }
  });

  it('reports a group’s lag per partition and resets its offsets to the start or to a time', async () => {
    const bus = await connectedBus();
    const topic = uniqueTopic('lag');
    const groupId = uniqueTopic('ledger');
    await bus.ensureTopics([{ name: topic, partitions: 2 }]);
    const seen: string[] = [];
    const subscribe = () =>
      bus.subscribe<string>({
        groupId,
        topics: [topic],
        fromBeginning: true,
        handler: async (m) => void seen.push(m.value),
      });

    // Thirty keys: both partitions get some, so both have a committed offset.
    await bus.publish(topic, batch('early', 30));
    const first = await subscribe();
    await eventually(() => seen.length === 30, 'the early batch');
    await first.close();
    await sleep(20);
    const cutOff = Date.now();
    await sleep(20);
    await bus.publish(topic, batch('late', 4));

    const lag = await bus.consumerGroupLag(groupId, [topic]);
    expect(lag).toHaveLength(2);
    expect(lag.reduce((sum, partition) => sum + partition.lag, 0)).toBe(4);
    expect(lag.every((partition) => partition.committedOffset !== null)).toBe(true);

    const running = await subscribe();
    await expect(bus.resetOffsets(groupId, topic, 'earliest')).rejects.toBeInstanceOf(
      EventBusStateError,
    );
    await eventually(() => seen.length === 34, 'the late batch');
    await running.close();

    seen.length = 0;
    await bus.resetOffsets(groupId, topic, { timestamp: cutOff });
    const replay = await subscribe();
    await eventually(() => seen.length >= 4, 'the replay from the cut-off');
    await replay.close();
    expect(seen.sort()).toEqual(['late-0', 'late-1', 'late-2', 'late-3']);

    seen.length = 0;
    const offsets = await bus.resetOffsets(groupId, topic, 'earliest');
    expect(offsets.map((entry) => entry.offset)).toEqual(['0', '0']);
    await subscribe();
    await eventually(() => seen.length >= 34, 'the full replay');
    expect(seen).toHaveLength(34);
  });

  it('sends kafkajs log lines to the given logger and none to the console', async () => {
    const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
    const collect =
      (level: string) =>
      (fields: Record<string, unknown>, message: string): void =>
        void lines.push({ level, fields, message });
    const logger: BusLogger = {
      debug: collect('debug'),
      info: collect('info'),
      warn: collect('warn'),
      error: collect('error'),
    };
    const consoleCalls = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation(() => undefined),
    );
    try {
      const bus = await connectedBus({ logger, kafkaLogLevel: 'info' });
      const subscription = await bus.subscribe({
        groupId: uniqueTopic('g'),
        topics: [uniqueTopic('logs')],
        handler: async () => undefined,
      });
      await subscription.close();

      expect(
        lines.some((line) => line.fields['component'] === 'kafkajs' && line.level === 'info'),
      ).toBe(true);
      for (const spy of consoleCalls) expect(spy).not.toHaveBeenCalled();
    } finally {
      consoleCalls.forEach((spy) => spy.mockRestore());
    }
  });

  it('rejects subscribe when the group does not hand out partitions in time', async () => {
    const bus = await connectedBus({ subscribeTimeoutMs: 1 });
    const subscribing = bus.subscribe({
      groupId: uniqueTopic('slow'),
      topics: [uniqueTopic('slow')],
      handler: async () => undefined,
    });
    await expect(subscribing).rejects.toThrow(EventBusUnavailableError);
    await expect(subscribing).rejects.toThrow(/did not assign partitions within 1 ms/);
  });

  it('fails to connect to a broker that is not there with an error naming it', async () => {
    const bus = kafkaBus({
      brokers: ['127.0.0.1:1'],
      connectionTimeoutMs: 500,
      retry: { retries: 1, initialRetryTime: 100 },
    });
    const failure: unknown = await bus.connect().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EventBusUnavailableError);
    expect((failure as Error).message).toMatch(/127\.0\.0\.1:1/);
  });
});

/** A separate Node process that joins the group and holds every message without acknowledging it. */
async function startHangingMember(
  brokers: string[],
  topic: string,
  groupId: string,
): Promise<{ process: ChildProcess; received: Promise<void> }> {
  const lib = join(__dirname, '..', 'libs', 'event-bus', 'src', 'index.ts');
  const program = `
    const { KafkaEventBus } = require(${JSON.stringify(lib)});
    const bus = new KafkaEventBus({ brokers: ${JSON.stringify(brokers)}, clientId: 'e2e-doomed', sessionTimeoutMs: 6000 });
    bus.connect()
      .then(() => bus.subscribe({ groupId: ${JSON.stringify(groupId)}, topics: [${JSON.stringify(topic)}], fromBeginning: true,
        handler: (message) => { process.stdout.write('RECEIVED ' + message.value + '\\n'); return new Promise(() => {}); } }))
      .then(() => process.stdout.write('READY\\n'))
      .catch((error) => { process.stderr.write(String(error.stack) + '\\n'); process.exit(1); });
  `;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', program], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const outputLine = (line: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (stdout.includes(line)) resolve();
      };
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        check();
      });
      child.once('exit', (code) =>
        reject(new Error(`hanging member exited (${code}) before '${line}': ${stderr}`)),
      );
    });
  const received = outputLine('RECEIVED');
  received.catch(() => undefined);
  await outputLine('READY');
  return { process: child, received };
}

function batch(prefix: string, count: number): { key: string; value: string }[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `${prefix}-${index}`,
    value: `${prefix}-${index}`,
  }));
}

function uniqueTopic(prefix: string): string {
  return `e2e.bus.${prefix}.${randomUUID().slice(0, 8)}`;
}

async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
