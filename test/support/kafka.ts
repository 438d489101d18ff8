import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = join(__dirname, '..', '..');
const scriptPath = join(repoRoot, 'scripts', 'kafka-local.sh');
const DOCKER_PROBE_TIMEOUT_MS = 3_000;

/** A Kafka the tests can use, and how to let go of it. */
export interface ObtainedKafka {
  brokers: string[];
  /** Stops what obtainKafka started; a no-op for brokers taken from KAFKA_BROKERS. */
  stop(): Promise<void>;
  source: 'env' | 'testcontainers' | 'script';
}

/** The Kafka version the repo pins (scripts/kafka/version): the script and the container image both use it. */
export function pinnedKafkaVersion(): string {
  return readFileSync(join(repoRoot, 'scripts', 'kafka', 'version'), 'utf8').trim();
}

/**
 * Finds Kafka for a test run: `KAFKA_BROKERS` if set; else an `apache/kafka` container when a
 * Docker engine answers; else `scripts/kafka-local.sh` (Maven Central jars + local Java). Never
 * skips: if all fail, the error says why each one did.
 */
export async function obtainKafka(): Promise<ObtainedKafka> {
  const fromEnv = (process.env['KAFKA_BROKERS'] ?? '').trim();
  if (fromEnv !== '') {
    const brokers = fromEnv
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean);
    return { brokers, stop: async () => undefined, source: 'env' };
  }

  const failures = ['KAFKA_BROKERS: not set'];
  const docker = await dockerEngineAnswers();
  if (docker === true) {
    try {
      return await startContainer();
    } catch (error) {
      failures.push(
        `testcontainers: a Docker engine answered but the container failed: ${(error as Error).message}`,
      );
    }
  } else {
    failures.push(`testcontainers: no Docker engine answered (${docker})`);
  }

  try {
    return await startWithScript();
  } catch (error) {
    failures.push(`scripts/kafka-local.sh: ${(error as Error).message}`);
  }
  throw new Error(`No Kafka for the tests. Tried, in order:\n - ${failures.join('\n - ')}`);
}

/** true, or why not. */
async function dockerEngineAnswers(): Promise<true | string> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${DOCKER_PROBE_TIMEOUT_MS} ms`)),
        DOCKER_PROBE_TIMEOUT_MS,
      );
    });
    await Promise.race([getContainerRuntimeClient(), timeout]).finally(() => clearTimeout(timer));
    return true;
  } catch (error) {
    return (error as Error).message.split('\n')[0] ?? 'unknown error';
  }
}

async function startContainer(): Promise<ObtainedKafka> {
  const { GenericContainer, Wait } = await import('testcontainers');
  // Kafka hands clients its advertised address, so the host port must be known before start.
  const port = await freePort();
  const container = await new GenericContainer(`apache/kafka:${pinnedKafkaVersion()}`)
    .withExposedPorts({ container: port, host: port })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${port},CONTROLLER://127.0.0.1:9093`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@127.0.0.1:9093',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_NUM_PARTITIONS: '4',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  return {
    brokers: [`${container.getHost()}:${port}`],
    stop: async () => {
      await container.stop();
    },
    source: 'testcontainers',
  };
}

async function startWithScript(): Promise<ObtainedKafka> {
  // A port of our own, so parallel test runs on one machine never share (or stop) a broker.
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_OWNER_PID: String(process.pid),
  };
  let stdout: string;
  try {
    ({ stdout } = await run('bash', [scriptPath, 'start'], {
      env,
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(
      `start failed: ${(stderr ?? (error as Error).message).trim().split('\n').slice(-15).join('\n')}`,
    );
  }
  const brokers = /^KAFKA_BROKERS=(.+)$/m.exec(stdout)?.[1];
  if (!brokers) throw new Error(`start printed no KAFKA_BROKERS line: ${stdout}`);
  return {
    brokers: brokers.split(','),
    stop: async () => {
      await run('bash', [scriptPath, 'stop'], { env, cwd: repoRoot });
    },
    source: 'script',
  };
}

/** A broker of one test's own, which the test may halt and start again (same port, same data). */
export interface RestartableKafka {
  brokers: string[];
  /** Stops the broker process and keeps its log dir: what it acknowledged must survive. */
  halt(): Promise<void>;
  /** Starts the halted broker again on the same port with the same log dir; resolves when it serves clients. */
  resume(): Promise<void>;
  /** Stops the broker for good and deletes its data. */
  stop(): Promise<void>;
}

/**
 * Starts a private broker with `scripts/kafka-local.sh` (never the shared one of the e2e run, so
 * halting it disturbs no other suite). Needs the script's tools (Java 17+, Maven Central once).
 */
export async function startRestartableKafka(): Promise<RestartableKafka> {
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_OWNER_PID: String(process.pid),
  };
  const script = async (command: 'start' | 'halt' | 'stop'): Promise<string> => {
    try {
      const { stdout } = await run('bash', [scriptPath, command], { env, cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(
        `scripts/kafka-local.sh ${command} (port ${port}) failed: ${(stderr ?? (error as Error).message).trim().split('\n').slice(-15).join('\n')}`,
      );
    }
  };
  const stdout = await script('start');
  const brokers = /^KAFKA_BROKERS=(.+)$/m.exec(stdout)?.[1];
  if (!brokers) throw new Error(`scripts/kafka-local.sh start printed no KAFKA_BROKERS line: ${stdout}`);
  return {
    brokers: brokers.split(','),
    halt: async () => void (await script('halt')),
    resume: async () => void (await script('start')),
    stop: async () => void (await script('stop')),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}
