import { Inject, Injectable } from '@nestjs/common';
import { ClarityCatalogService } from '../clarity/clarity-catalog.service';
import { ClarityOrdersService } from '../clarity/clarity-orders.service';
import {
  type ClarityAccount,
  type ClarityAccountType,
  type ClarityProduct,
} from '../clarity/clarity.models';
import { FxRates } from '../common/fx-rates';
import { toMoney } from '../common/money';
import { RandomSource } from '../common/random-source';
import { type SeededRandom } from '../common/seeded-random';
import { PayoneerPayeesService } from '../payoneer/payoneer-payees.service';
import { type PayeeStatusName } from '../payoneer/payoneer.models';
import {
  COMPANY_WORDS,
  COUNTRY_BY_CURRENCY,
  FIRST_NAMES,
  LAST_NAMES,
  PRODUCT_WORDS,
} from './sandbox-names';

/** How big a merchant to seed. */
export interface MerchantSpec {
  customers: number;
  vendors: number;
  affiliates: number;
  products: number;
  orders: number;
  currencies: string[];
  /** Share of orders paid in full right away. */
  paidRatio: number;
  /** How many vendors/affiliates get an INACTIVE or PENDING Payoneer payee instead of an ACTIVE one. */
  inactivePayees: number;
  pendingPayees: number;
}

/** A seeded merchant, with the ids tests and demos need. */
export interface SeededMerchant {
  customers: Array<{ ID: number; CustomKey: string; CurrencyKey: string }>;
  vendors: Array<{
    ID: number;
    CustomKey: string;
    CurrencyKey: string;
    payeeId: string;
    payeeStatus: PayeeStatusName;
  }>;
  affiliates: Array<{
    ID: number;
    CustomKey: string;
    CurrencyKey: string;
    payeeId: string;
    payeeStatus: PayeeStatusName;
  }>;
  products: Array<{ ID: number; CustomKey: string; Price: string }>;
  orders: { created: number; paid: number; byCurrency: Record<string, number> };
}

/** Builds a deterministic merchant (accounts, payees, products, orders) from the sandbox seed. */
@Injectable()
export class MerchantScenarioService {
  constructor(
    @Inject(ClarityCatalogService) private readonly catalog: ClarityCatalogService,
    @Inject(ClarityOrdersService) private readonly orders: ClarityOrdersService,
    @Inject(PayoneerPayeesService) private readonly payees: PayoneerPayeesService,
    @Inject(RandomSource) private readonly random: RandomSource,
    @Inject(FxRates) private readonly fx: FxRates,
  ) {}

  /** Seeds accounts, payees for every vendor/affiliate, products and orders. */
  seed(spec: MerchantSpec): SeededMerchant {
    for (const currency of spec.currencies)
      if (!this.fx.knows(currency))
        throw new Error(`currencies: "${currency}" has no exchange rate`);
    const random = this.random.stream('scenario');
    const customers = Array.from({ length: spec.customers }, () =>
      this.account('Customer', random.pick(spec.currencies), random),
    );
    const vendors = Array.from({ length: spec.vendors }, () =>
      this.account('Vendor', random.pick(spec.currencies), random),
    );
    const affiliates = Array.from({ length: spec.affiliates }, () =>
      this.account('Affiliate', random.pick(spec.currencies), random),
    );
    const payeeStatuses = new Map<number, PayeeStatusName>();
    [...vendors, ...affiliates].forEach((account, index) => {
      const status: PayeeStatusName =
        index < spec.inactivePayees
          ? 'INACTIVE'
          : index < spec.inactivePayees + spec.pendingPayees
            ? 'PENDING'
            : 'ACTIVE';
      payeeStatuses.set(account.ID, status);
      const [firstName = 'Sandbox', lastName = 'Payee'] = account.Name.split(' ');
      this.payees.register({
        payeeId: account.CustomKey,
        status,
        payoutCurrency: account.CurrencyKey,
        payoutMethod: random.chance(0.5) ? 'BANK' : 'PAYONEER_ACCOUNT',
        firstName,
        lastName,
        email: account.Email,
        country: account.CountryCode,
      });
    });
    const products: ClarityProduct[] = Array.from({ length: spec.products }, (_, index) =>
      this.catalog.createProduct({
        Name: `${random.pick(COMPANY_WORDS)} ${random.pick(PRODUCT_WORDS)}`,
        Sku: `SKU-${String(index + 1).padStart(5, '0')}`,
        PriceUSD: toMoney(random.int(500, 25_000) / 100),
        VendorAccountID:
          vendors.length > 0 && random.chance(0.5) ? random.pick(vendors).ID : undefined,
      }),
    );
    const orderStats = { created: 0, paid: 0, byCurrency: {} as Record<string, number> };
    for (
      let index = 0;
      index < spec.orders && customers.length > 0 && products.length > 0;
      index += 1
    ) {
      const outcome = this.placeOrder(
        random,
        customers,
        products,
        affiliates,
        spec.paidRatio,
        random.pick(spec.currencies),
      );
      if (!outcome) continue;
      orderStats.created += 1;
      orderStats.byCurrency[outcome.currency] = (orderStats.byCurrency[outcome.currency] ?? 0) + 1;
      if (outcome.paid) orderStats.paid += 1;
    }
    const withPayee = (account: ClarityAccount) => ({
      ...brief(account),
      payeeId: account.CustomKey,
      payeeStatus: payeeStatuses.get(account.ID) ?? 'ACTIVE',
    });
    return {
      customers: customers.map(brief),
      vendors: vendors.map(withPayee),
      affiliates: affiliates.map(withPayee),
      products: products.map((product) => ({
        ID: product.ID,
        CustomKey: product.CustomKey,
        Price: product.PriceUSD,
      })),
      orders: orderStats,
    };
  }

  /** Places one random order for an existing customer (used by traffic too); undefined when there is nothing to sell. */
  placeRandomOrder(paidRatio: number): { currency: string; paid: boolean } | undefined {
    const random = this.random.stream('traffic');
    const customers = this.catalog.listAccounts({ typeKey: 'Customer' });
    const affiliates = this.catalog.listAccounts({ typeKey: 'Affiliate' });
    const products = this.catalog.listProducts();
    if (customers.length === 0 || products.length === 0) return undefined;
    return this.placeOrder(random, customers, products, affiliates, paidRatio, undefined);
  }

  private placeOrder(
    random: SeededRandom,
    customers: ClarityAccount[],
    products: ClarityProduct[],
    affiliates: ClarityAccount[],
    paidRatio: number,
    currency: string | undefined,
  ): { currency: string; paid: boolean } | undefined {
    const customer = random.pick(customers);
    const lines = random.int(1, 3);
    const salesItems = Array.from({ length: lines }, () => ({
      ProductID: random.pick(products).ID,
      Quantity: random.int(1, 3),
    }));
    const outcome = this.orders.createOrder({
      AccountID: customer.ID,
      CurrencyKey: currency ?? customer.CurrencyKey,
      SalesItems: salesItems,
      Totals: { Shipping: toMoney(random.int(0, 1_500) / 100), Tax: '0.00' },
      AffiliateAccountID:
        affiliates.length > 0 && random.chance(0.4) ? random.pick(affiliates).ID : undefined,
    });
    if (!outcome.ok) throw new Error(`scenario order was refused: ${outcome.messages.join('; ')}`);
    const order = outcome.result;
    const paid = random.chance(paidRatio);
    if (paid) {
      const payment = this.orders.createPayment({
        SalesOrderID: order.ID,
        Amount: order.Totals.Total,
        CurrencyKey: order.CurrencyKey,
      });
      if (!payment.ok)
        throw new Error(`scenario payment was refused: ${payment.messages.join('; ')}`);
    }
    return { currency: order.CurrencyKey, paid };
  }

  private account(
    type: ClarityAccountType,
    currency: string,
    random: SeededRandom,
  ): ClarityAccount {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const name =
      type === 'Vendor' ? `${random.pick(COMPANY_WORDS)} ${last} Supply` : `${first} ${last}`;
    const account = this.catalog.createAccount({
      TypeKey: type,
      Name: name,
      Email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${random.hex(4)}@example.com`,
      CurrencyKey: currency,
      CountryCode: COUNTRY_BY_CURRENCY[currency] ?? 'US',
    });
    return account;
  }
}

function brief(account: ClarityAccount) {
  return { ID: account.ID, CustomKey: account.CustomKey, CurrencyKey: account.CurrencyKey };
}
