import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import type { EventBus } from '@switchboard/event-bus';
import { MappingEngine } from '@switchboard/flow-engine';
import {
  AlertRepository,
  ApiKeyRepository,
  AuditLogRepository,
  DeadLetterRepository,
  ExecutionRecorder,
  ExecutionRepository,
  FlowCursorRepository,
  SecretStore,
} from '@switchboard/persistence';
import { FeeRepository, IdMapRepository } from '@switchboard/persistence';
import { ReconciliationService } from '@switchboard/reconciliation';
import { SchemaRegistry } from '@switchboard/schema-registry';
import { DataSource } from 'typeorm';
import { AccessGuard } from './access/access.guard';
import { ApiKeyService } from './access/api-key.service';
import { ApiKeysController } from './access/api-keys.controller';
import { RuntimeBootstrap } from './access/runtime-bootstrap.service';
import { AlertChecks } from './alerts/alert-checks.service';
import { AlertService } from './alerts/alert.service';
import { AlertsController } from './alerts/alerts.controller';
import { RuntimeConfig } from './config/runtime-config';
import { MetricsController } from './metrics/metrics.controller';
import { RuntimeMetrics } from './metrics/runtime-metrics';
import { ScrapeGauges } from './metrics/scrape-gauges.service';
import { ConnectorRegistry } from './connectors/connector-registry.service';
import { ConnectorsController } from './connectors/connectors.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { FEE_FEED, PAYOUT_FEED, RECONCILIATION_FEED } from './dashboard/dashboard-feeds';
import { DashboardService } from './dashboard/dashboard.service';
import { DeadLetterService } from './dlq/dead-letter.service';
import { DlqController } from './dlq/dlq.controller';
import { BusController } from './bus/bus.controller';
import { BusAdminService } from './bus/bus-admin.service';
import { ExecutionsController } from './executions/executions.controller';
import { FlowRegistry } from './flows/flow-registry.service';
import { FlowsController } from './flows/flows.controller';
import { HealthController } from './health/health.controller';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { IngressController } from './ingress/ingress.controller';
import { INGRESS_CONSUMERS } from './ingress/ingress-consumer';
import { IngressService } from './ingress/ingress.service';
import { toEngineConfig } from './reconciliation/reconciliation-engine-config';
import { ReconciliationController } from './reconciliation/reconciliation.controller';
import { ReconciliationDashboardFeed } from './reconciliation/reconciliation-dashboard-feed';
import { ReconciliationPosting } from './reconciliation/reconciliation-posting.service';
import { ReconciliationReview } from './reconciliation/reconciliation-review.service';
import { ReconciliationSweep } from './reconciliation/reconciliation-sweep.service';
import { ReconciliationWorker } from './reconciliation/reconciliation-worker.service';
import { ACTION_INVOKER, CONNECTOR_CATALOG, EVENT_BUS, WEBHOOK_GATEWAY } from './runtime.tokens';
import { ScheduleTriggerService } from './scheduler/schedule-trigger.service';
import { SecretsController } from './secrets/secrets.controller';
import { IdMapsController } from './id-maps/id-maps.controller';
import { FeeLedgerService } from './fees/fee-ledger.service';
import { FeesController } from './fees/fees.controller';
import { PayoutAdminService } from './payouts/payout-admin.service';
import { PayoutDashboardFeed } from './payouts/payout-dashboard.feed';
import { PayoutNotificationHook } from './payouts/payout-notification.hook';
import { PayoutScheduler } from './payouts/payout-scheduler.service';
import { PayoutsController } from './payouts/payouts.controller';
import { PayoutsRuntime } from './payouts/payouts-runtime.service';
import { FlowExecutor } from './worker/flow-executor.service';
import { FlowWorkerService } from './worker/flow-worker.service';
import { IdempotencyGuard } from './worker/idempotency.guard';

/** What the runtime builds before Nest starts: config, database, bus and the compiled engines. */
export interface RuntimeDependencies {
  config: RuntimeConfig;
  dataSource: DataSource;
  bus: EventBus;
  schemaRegistry: SchemaRegistry;
  mappingEngine: MappingEngine;
  connectors: ConnectorRegistry;
  recorder: ExecutionRecorder;
  secrets: SecretStore;
  /** Built before the connectors (they report HTTP metrics to it); a fresh one when absent. */
  metrics?: RuntimeMetrics;
}

/** The runtime app: ingress, flow workers, scheduler and the admin API. */
@Module({})
export class RuntimeModule {
  static forRoot(deps: RuntimeDependencies): DynamicModule {
    const ds = deps.dataSource;
    return {
      module: RuntimeModule,
      imports: [ScheduleModule.forRoot()],
      controllers: [
        IngressController,
        FlowsController,
        ExecutionsController,
        DlqController,
        BusController,
        HealthController,
        ConnectorsController,
        SecretsController,
        ApiKeysController,
        AlertsController,
        MetricsController,
        DashboardController,
        IdMapsController,
        FeesController,
        PayoutsController,
        ReconciliationController,
      ],
      // Factories rather than useValue: Nest hashes a dynamic module's static values into its
      // token, which for the connector registry and data source costs tens of ms at boot.
      providers: [
        { provide: RuntimeConfig, useFactory: () => deps.config },
        { provide: DataSource, useFactory: () => ds },
        { provide: EVENT_BUS, useFactory: () => deps.bus },
        { provide: SchemaRegistry, useFactory: () => deps.schemaRegistry },
        { provide: MappingEngine, useFactory: () => deps.mappingEngine },
        { provide: ConnectorRegistry, useFactory: () => deps.connectors },
        { provide: CONNECTOR_CATALOG, useFactory: () => deps.connectors },
        { provide: ACTION_INVOKER, useFactory: () => deps.connectors },
        { provide: WEBHOOK_GATEWAY, useFactory: () => deps.connectors },
        { provide: ExecutionRecorder, useFactory: () => deps.recorder },
        { provide: SecretStore, useFactory: () => deps.secrets },
        { provide: ExecutionRepository, useFactory: () => new ExecutionRepository(ds) },
        { provide: DeadLetterRepository, useFactory: () => new DeadLetterRepository(ds) },
        { provide: AuditLogRepository, useFactory: () => new AuditLogRepository(ds) },
        { provide: FlowCursorRepository, useFactory: () => new FlowCursorRepository(ds) },
        { provide: IdMapRepository, useFactory: () => new IdMapRepository(ds) },
        { provide: FeeRepository, useFactory: () => new FeeRepository(ds) },
        FeeLedgerService,
        { provide: FEE_FEED, useExisting: FeeLedgerService },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: RuntimeMetrics, useFactory: () => deps.metrics ?? new RuntimeMetrics() },
        { provide: ApiKeyRepository, useFactory: () => new ApiKeyRepository(ds) },
        { provide: AlertRepository, useFactory: () => new AlertRepository(ds) },
        ApiKeyService,
        RuntimeBootstrap,
        AlertService,
        AlertChecks,
        ScrapeGauges,
        FlowRegistry,
        FlowExecutor,
        FlowWorkerService,
        IdempotencyGuard,
        DashboardService,
        DeadLetterService,
        IngressService,
        BusAdminService,
        ScheduleTriggerService,
        PayoutsRuntime,
        PayoutAdminService,
        PayoutScheduler,
        PayoutNotificationHook,
        { provide: INGRESS_CONSUMERS, useFactory: (payouts: PayoutNotificationHook) => [payouts], inject: [PayoutNotificationHook] },
        PayoutDashboardFeed,
        // The dashboard shows "not available" for payouts unless they are enabled.
        ...(deps.config.payouts.enabled ? [{ provide: PAYOUT_FEED, useExisting: PayoutDashboardFeed }] : []),
        {
          provide: ReconciliationService,
          useFactory: () => new ReconciliationService(ds, toEngineConfig(deps.config.reconciliation)),
        },
        ReconciliationPosting,
        ReconciliationReview,
        ReconciliationWorker,
        ReconciliationSweep,
        // The dashboard shows "not available" for reconciliation unless it runs.
        ...(deps.config.reconciliation.enabled
          ? [{ provide: RECONCILIATION_FEED, useClass: ReconciliationDashboardFeed }]
          : []),
      ],
    };
  }
}
