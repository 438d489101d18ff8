import { Inject, Injectable } from '@nestjs/common';
import { ClarityCatalogService } from '../clarity/clarity-catalog.service';
import { ClarityOrdersService } from '../clarity/clarity-orders.service';
import { FxRates } from '../common/fx-rates';
import { RandomSource } from '../common/random-source';
import { ErpStoreService } from '../erp/erp-store.service';
import { JournalEntryService } from '../erp/journal-entry.service';
import { FaultInjector } from '../faults/fault-injector.service';
import { PayoneerAccountService } from '../payoneer/payoneer-account.service';
import { PayoneerPayeesService } from '../payoneer/payoneer-payees.service';
import { PayoneerPayoutsService } from '../payoneer/payoneer-payouts.service';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';
import { TrafficService } from './traffic.service';

/**
 * Puts every simulator back to its starting state (optionally with a new seed). Auth sessions,
 * tokens and the clock survive, so connected clients keep working across a reset.
 */
@Injectable()
export class SandboxResetService {
  constructor(
    @Inject(RandomSource) private readonly random: RandomSource,
    @Inject(FxRates) private readonly fx: FxRates,
    @Inject(FaultInjector) private readonly faults: FaultInjector,
    @Inject(WebhookDispatcher) private readonly webhooks: WebhookDispatcher,
    @Inject(TrafficService) private readonly traffic: TrafficService,
    @Inject(ClarityCatalogService) private readonly catalog: ClarityCatalogService,
    @Inject(ClarityOrdersService) private readonly orders: ClarityOrdersService,
    @Inject(PayoneerAccountService) private readonly account: PayoneerAccountService,
    @Inject(PayoneerPayeesService) private readonly payees: PayoneerPayeesService,
    @Inject(PayoneerPayoutsService) private readonly payouts: PayoneerPayoutsService,
    @Inject(ErpStoreService) private readonly erp: ErpStoreService,
    @Inject(JournalEntryService) private readonly journalEntries: JournalEntryService,
  ) {}

  /** Resets all simulated state; returns the seed now in use. */
  reset(seed?: number): number {
    this.traffic.stop('reset');
    this.random.reseed(seed);
    this.fx.reset();
    this.faults.clear();
    this.webhooks.reset();
    this.catalog.reset();
    this.orders.reset();
    this.payouts.reset();
    this.payees.reset();
    this.account.reset();
    this.erp.reset();
    this.journalEntries.reset();
    return this.random.seed;
  }
}
