import Decimal from 'decimal.js';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ClarityCatalogService } from '../clarity/clarity-catalog.service';
import { DomainEvents } from '../common/domain-events';
import { FxRates } from '../common/fx-rates';
import { toMoney } from '../common/money';
import { RandomSource } from '../common/random-source';
import { FaultInjector } from '../faults/fault-injector.service';
import { PayoneerAccountService } from '../payoneer/payoneer-account.service';

/**
 * The money path between the simulated systems: a payment processed in Clarity arrives in the
 * merchant's Payoneer account (net of fees, converted when needed), unless a fault bends it
 * into an amount or currency mismatch.
 */
@Injectable()
export class CommerceBridge implements OnModuleInit {
  constructor(
    @Inject(DomainEvents) private readonly events: DomainEvents,
    @Inject(PayoneerAccountService) private readonly payoneer: PayoneerAccountService,
    @Inject(ClarityCatalogService) private readonly catalog: ClarityCatalogService,
    @Inject(FaultInjector) private readonly faults: FaultInjector,
    @Inject(RandomSource) private readonly random: RandomSource,
    @Inject(FxRates) private readonly fx: FxRates,
  ) {}

  onModuleInit(): void {
    this.events.on('clarity.payment.processed', ({ payment, order }) => {
      if (payment.PaymentMethodKey.toLowerCase() !== 'payoneer') return;
      let amount = new Decimal(payment.Amount);
      let currency = payment.CurrencyKey;
      if (this.faults.forEvent('payoneer', 'amount_mismatch', 'PaymentReceived')) {
        // A short payment of 1–10 %, beyond anything fees or FX rounding explain.
        const shortfall = new Decimal(this.random.stream('bridge-mismatch').int(100, 1_000)).div(
          10_000,
        );
        amount = new Decimal(toMoney(amount.mul(new Decimal(1).minus(shortfall))));
      }
      if (this.faults.forEvent('payoneer', 'currency_mismatch', 'PaymentReceived')) {
        const other = currency === 'USD' ? 'EUR' : 'USD';
        amount = new Decimal(toMoney(amount.mul(this.fx.rate(currency, other))));
        currency = other;
      }
      this.payoneer.receivePayment({
        amount,
        currency,
        paymentReference: payment.TransactionNumber,
        description: `Payment for order ${order.CustomKey}`,
        note: order.CustomKey,
        payerName: this.catalog.getAccount(order.AccountID)?.Name ?? order.AccountKey,
      });
    });
  }
}
