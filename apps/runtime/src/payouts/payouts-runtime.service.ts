import { Inject, Injectable } from '@nestjs/common';
import type { EventBus } from '@switchboard/event-bus';
import {
  AuditLogRepository,
  FlowCursorRepository,
  IdMapRepository,
  PayoutRepository,
} from '@switchboard/persistence';
import { createPayoutServices, type PayoutServices } from '@switchboard/payouts';
import { SchemaRegistry } from '@switchboard/schema-registry';
import { DataSource } from 'typeorm';
import { AlertService } from '../alerts/alert.service';
import { RuntimeConfigError } from '../config/load-runtime-config';
import { RuntimeConfig, type PayoutsConfig } from '../config/runtime-config';
import { ConnectorRegistry } from '../connectors/connector-registry.service';
import { ApiError } from '../http/api-error';
import { ACTION_INVOKER, EVENT_BUS } from '../runtime.tokens';
import { type ActionInvoker } from '../worker/action-invoker';
import { AlertServiceSink } from './alert-service.sink';
import { ClarityPayablesSource } from './clarity-payables.source';
import { ConnectorPayoutGateway } from './connector-payout.gateway';
import { IdMapPayeeResolver } from './id-map-payee.resolver';
import { PayoutStatusPublisher } from './payout-status.publisher';

/** The payout services wired over the runtime's production adapters. */
export interface PayoutsWiring extends PayoutServices {
  repository: PayoutRepository;
  payables: ClarityPayablesSource;
  publisher: PayoutStatusPublisher;
  config: PayoutsConfig & { account: string };
}

/**
 * Builds the payouts lib's services once, from the `payouts:` config section, over the Payoneer
 * and Clarity connectors (through the action invoker), the id map and the alert service.
 */
@Injectable()
export class PayoutsRuntime {
  private readonly wiring: PayoutsWiring | null;

  constructor(
    config: RuntimeConfig,
    dataSource: DataSource,
    alerts: AlertService,
    schemas: SchemaRegistry,
    @Inject(ACTION_INVOKER) actions: ActionInvoker,
    @Inject(EVENT_BUS) bus: EventBus,
    connectors: ConnectorRegistry,
  ) {
    const payouts = config.payouts;
    if (!payouts.enabled || payouts.account === undefined) {
      this.wiring = null;
      return;
    }
    // Payouts without their connectors would fail every scheduled run: stop the boot instead.
    const loaded = connectors.list().map((connector) => connector.definition.id);
    const missing = [
      ['payouts.payoneerConnector', payouts.payoneerConnector],
      ['payouts.clarityConnector', payouts.clarityConnector],
    ].filter(([, id]) => !loaded.includes(id ?? ''));
    if (missing.length > 0)
      throw new RuntimeConfigError(
        missing.map(
          ([setting, id]) =>
            `${setting}: no connector "${id}" is loaded (plugins: ${loaded.join(', ') || 'none'})`,
        ),
      );
    const repository = new PayoutRepository(dataSource);
    const services = createPayoutServices(
      {
        repository,
        audit: new AuditLogRepository(dataSource),
        gateway: new ConnectorPayoutGateway(actions, payouts.payoneerConnector),
        alerts: new AlertServiceSink(alerts),
        payees: new IdMapPayeeResolver(new IdMapRepository(dataSource)),
      },
      {
        account: payouts.account,
        chunkSize: payouts.chunkSize,
        supportedCurrencies: payouts.supportedCurrencies,
        recoverSubmittedAfterMs: payouts.recoverSubmittedAfterMs,
        statusPollAfterMs: payouts.statusPollAfterMs,
        statusPollLimit: payouts.statusPollLimit,
        statusPollConcurrency: payouts.statusPollConcurrency,
        retry: { ...payouts.retry },
      },
    );
    this.wiring = {
      ...services,
      repository,
      payables: new ClarityPayablesSource(actions, payouts.clarityConnector),
      publisher: new PayoutStatusPublisher(
        repository,
        new FlowCursorRepository(dataSource),
        bus,
        schemas,
        payouts.statusTopic,
      ),
      config: { ...payouts, account: payouts.account },
    };
  }

  get enabled(): boolean {
    return this.wiring !== null;
  }

  /** The wiring; a 409 for API callers when payouts are not enabled in the config. */
  require(): PayoutsWiring {
    if (this.wiring === null)
      throw new ApiError(
        409,
        'payouts_disabled',
        'payouts are not enabled: set payouts.enabled and payouts.account in runtime.yaml',
      );
    return this.wiring;
  }
}
