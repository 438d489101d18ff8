import { resolve } from 'node:path';
import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  MemoryEventBus,
  KafkaEventBus,
  type BusLogger,
  type EventBus,
} from '@switchboard/event-bus';
import { MappingEngine } from '@switchboard/flow-engine';
import {
  createDataSource,
  ExecutionRecorder,
  migrateDatabase,
  SecretCipher,
  SecretStore,
  startEmbeddedPostgres,
} from '@switchboard/persistence';
import { SchemaRegistry } from '@switchboard/schema-registry';
import type { DataSource } from 'typeorm';
import type { RuntimeConfig } from './config/runtime-config';
import { ConnectorRegistry } from './connectors/connector-registry.service';
import { createRootLogger, PinoNestLogger } from './logging/pino-nest-logger';
import { RuntimeMetrics } from './metrics/runtime-metrics';
import { createMappingFunctions } from './mapping-functions/create-mapping-functions';
import { FeeLedgerService } from './fees/fee-ledger.service';
import { FlowRegistry } from './flows/flow-registry.service';
import { ReconciliationSweep } from './reconciliation/reconciliation-sweep.service';
import { ReconciliationWorker } from './reconciliation/reconciliation-worker.service';
import { RuntimeModule } from './runtime.module';
import { ScheduleTriggerService } from './scheduler/schedule-trigger.service';
import { PayoutScheduler } from './payouts/payout-scheduler.service';
import { FlowWorkerService } from './worker/flow-worker.service';
import { resolveMasterKey } from './secrets/master-key';

export interface RunningRuntime {
  app: NestFastifyApplication;
  /** Base URL the runtime listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  config: RuntimeConfig;
  dataSource: DataSource;
  bus: EventBus;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Use this bus instead of building one from the config (tests share one memory bus). */
  bus?: EventBus;
  /** Silence Nest's own logging (tests). */
  quiet?: boolean;
}

/** Starts the runtime: database (embedded when no URL), bus, connectors, flows, workers, HTTP. */
export async function startRuntime(
  config: RuntimeConfig,
  options: StartOptions = {},
): Promise<RunningRuntime> {
  const cleanups: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    let url = config.database.url;
    if (url === undefined) {
      const embedded = await startEmbeddedPostgres({
        dataDir: resolve(config.database.embedded.dataDir),
        port: config.database.embedded.port,
      });
      cleanups.push(() => embedded.stop());
      url = embedded.url;
    }
    const dataSource = createDataSource({ url, schema: config.database.schema });
    await dataSource.initialize();
    cleanups.push(() => dataSource.destroy());
    await migrateDatabase(dataSource);

    const bus = options.bus ?? createBus(config);
    if (options.bus === undefined) {
      await bus.connect();
      cleanups.push(() => bus.disconnect());
    }

    const recorder = new ExecutionRecorder(dataSource, {
      flushIntervalMs: config.executions.flushIntervalMs,
      maxBatch: config.executions.maxBatch,
    });
    cleanups.push(() => recorder.close());
    const secrets = new SecretStore(dataSource, new SecretCipher(resolveMasterKey(config)));
    const metrics = new RuntimeMetrics();
    const connectors = await ConnectorRegistry.load(config.plugins, {
      secrets,
      cwd: process.cwd(),
      observer: metrics,
    });
    const app = await NestFactory.create<NestFastifyApplication>(
      RuntimeModule.forRoot({
        config,
        dataSource,
        bus,
        schemaRegistry: SchemaRegistry.load(),
        mappingEngine: new MappingEngine(
          createMappingFunctions(dataSource, config.flows.mappingsDir),
        ),
        connectors,
        recorder,
        secrets,
        metrics,
      }),
      new FastifyAdapter({ bodyLimit: config.ingress.bodyLimitBytes }),
      { rawBody: true, bufferLogs: true, logger: options.quiet ? false : undefined },
    );
    if (!options.quiet) app.useLogger(new PinoNestLogger(createRootLogger(config.logLevel)));
    app.useGlobalPipes(
      new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        transform: true,
        transformOptions: { enableImplicitConversion: false },
      }),
    );
    // The OpenAPI document (≈ 1 MB of heap) is built on the first request for it, not at every boot.
    const openApiConfig = new DocumentBuilder()
      .setTitle('Switchboard runtime')
      .setDescription('Admin API and webhook ingress')
      .setVersion('1')
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: 'API key (sb_…) from POST /api/keys or the bootstrap admin key',
        },
        'api-key',
      )
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          description: 'the same API key as Authorization: Bearer sb_…',
        },
        'bearer',
      )
      .build();
    SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApiConfig));
    await app.init();
    cleanups.push(() => app.close());

    await app.get(FlowRegistry).load();
    await app.get(FlowWorkerService).start();
    app.get(ScheduleTriggerService).start();
    app.get(PayoutScheduler).start();
    await app.get(FeeLedgerService).start();
    await app.get(ReconciliationWorker).start();
    app.get(ReconciliationSweep).start();

    await app.listen(config.server.port, config.server.host);
    const address = app.getHttpServer().address();
    const port =
      typeof address === 'object' && address !== null ? address.port : config.server.port;
    return { app, url: `http://${config.server.host}:${port}`, config, dataSource, bus, close };
  } catch (error) {
    await close();
    throw error;
  }
}

const KAFKA_PUBLISH_TIMEOUT_MS = 5_000;
const KAFKA_SESSION_TIMEOUT_MS = 10_000;

function createBus(config: RuntimeConfig): EventBus {
  if (config.bus.transport === 'kafka') {
    return new KafkaEventBus({
      brokers: config.bus.kafka.brokers,
      clientId: config.bus.kafka.clientId,
      defaultPartitions: config.bus.kafka.partitions,
      replicationFactor: config.bus.kafka.replicationFactor,
      // Events of one partition run one after another (order per key); every assigned partition
      // runs side by side, so a member holding all of a topic's partitions leaves none waiting.
      partitionsConsumedConcurrently: config.bus.kafka.partitions,
      // Webhook senders get a 503 within seconds while the cluster cannot take writes, and retry.
      publishTimeoutMs: KAFKA_PUBLISH_TIMEOUT_MS,
      // A killed instance's partitions move to the survivors after this long without heartbeats.
      sessionTimeoutMs: KAFKA_SESSION_TIMEOUT_MS,
      logger: kafkaLogger(new Logger('KafkaEventBus')),
    });
  }
  // Only this process reads the memory bus: what every flow has acknowledged can go, and what
  // the workers are behind on is bounded (the ingress answers 503 beyond it).
  return new MemoryEventBus({
    dropConsumed: true,
    maxBacklogPerPartition: config.bus.memory.maxBacklogPerPartition,
  });
}

/** Kafka client warnings (lost brokers, consumer restarts) go to the runtime's log, not nowhere. */
function kafkaLogger(logger: Logger): BusLogger {
  const line = (fields: Record<string, unknown>, message: string): string => {
    const { err, ...rest } = fields;
    const cause = err instanceof Error ? ` (${err.name}: ${err.message})` : '';
    return `${message}${cause} ${JSON.stringify(rest)}`;
  };
  return {
    debug: (fields, message) => logger.debug(line(fields, message)),
    info: (fields, message) => logger.log(line(fields, message)),
    warn: (fields, message) => logger.warn(line(fields, message)),
    error: (fields, message) => logger.error(line(fields, message)),
  };
}
