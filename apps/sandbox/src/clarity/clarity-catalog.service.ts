import Decimal from 'decimal.js';
import { Inject, Injectable } from '@nestjs/common';
import { FxRates } from '../common/fx-rates';
import { toMoney } from '../common/money';
import { SandboxClock } from '../common/sandbox-clock';
import { type ClarityActionResult, failed, succeeded } from './clarity-action-result';
import { asId, asText, field } from './clarity-input';
import {
  type ClarityAccount,
  type ClarityAccountType,
  type ClarityCommission,
  type ClarityProduct,
} from './clarity.models';

/** What a scenario supplies to create an account. */
export interface NewClarityAccount {
  TypeKey: ClarityAccountType;
  Name: string;
  Email: string;
  CurrencyKey: string;
  CountryCode: string;
  CustomKey?: string;
}

/** What a scenario supplies to create a product. */
export interface NewClarityProduct {
  Name: string;
  Sku: string;
  PriceUSD: string;
  VendorAccountID?: number;
}

const KEY_PREFIX: Record<ClarityAccountType, string> = {
  Customer: 'CUST',
  Vendor: 'VEND',
  Affiliate: 'AFF',
};

/** Clarity accounts (customers, vendors, affiliates), products and what the merchant owes. */
@Injectable()
export class ClarityCatalogService {
  private accounts = new Map<number, ClarityAccount>();
  private products = new Map<number, ClarityProduct>();
  private commissions = new Map<number, ClarityCommission>();
  private nextAccountId = 1001;
  private nextProductId = 1;
  private nextCommissionId = 1;

  constructor(
    @Inject(SandboxClock) private readonly clock: SandboxClock,
    @Inject(FxRates) private readonly fx: FxRates,
  ) {}

  /** Empties the catalogue. */
  reset(): void {
    this.accounts.clear();
    this.products.clear();
    this.commissions.clear();
    this.nextAccountId = 1001;
    this.nextProductId = 1;
    this.nextCommissionId = 1;
  }

  /** Adds an account; its CustomKey defaults to `CUST-0001`, `VEND-0001`, `AFF-0001` by type. */
  createAccount(input: NewClarityAccount): ClarityAccount {
    const now = this.clock.nowMs();
    const sameType = [...this.accounts.values()].filter(
      (account) => account.TypeKey === input.TypeKey,
    ).length;
    const account: ClarityAccount = {
      ID: this.nextAccountId++,
      CustomKey:
        input.CustomKey ?? `${KEY_PREFIX[input.TypeKey]}-${String(sameType + 1).padStart(4, '0')}`,
      Name: input.Name,
      Email: input.Email,
      TypeKey: input.TypeKey,
      CurrencyKey: input.CurrencyKey,
      CountryCode: input.CountryCode,
      Active: true,
      CreatedDate: now,
      UpdatedDate: now,
    };
    this.accounts.set(account.ID, account);
    return account;
  }

  /** Adds a product priced in USD. */
  createProduct(input: NewClarityProduct): ClarityProduct {
    const now = this.clock.nowMs();
    const id = this.nextProductId++;
    const product: ClarityProduct = {
      ID: id,
      CustomKey: `PROD-${String(id).padStart(4, '0')}`,
      ...input,
      CreatedDate: now,
      UpdatedDate: now,
    };
    this.products.set(product.ID, product);
    return product;
  }

  /** An account by ID. */
  getAccount(id: number): ClarityAccount | undefined {
    return this.accounts.get(id);
  }

  /** An account by CustomKey (case-insensitive). */
  findAccountByKey(key: string): ClarityAccount | undefined {
    return [...this.accounts.values()].find(
      (account) => account.CustomKey.toLowerCase() === key.toLowerCase(),
    );
  }

  /** Accounts, optionally of one type and modified since a time, oldest change first. */
  listAccounts(filter: { typeKey?: string; modifiedSinceMs?: number } = {}): ClarityAccount[] {
    return [...this.accounts.values()]
      .filter(
        (account) =>
          filter.typeKey === undefined ||
          account.TypeKey.toLowerCase() === filter.typeKey.toLowerCase(),
      )
      .filter(
        (account) =>
          filter.modifiedSinceMs === undefined ||
          this.lastChangeMs(account) >= filter.modifiedSinceMs,
      )
      .sort((a, b) => this.lastChangeMs(a) - this.lastChangeMs(b) || a.ID - b.ID);
  }

  /** A product by ID. */
  getProduct(id: number): ClarityProduct | undefined {
    return this.products.get(id);
  }

  /** A product by CustomKey or Sku. */
  findProductByKey(key: string): ClarityProduct | undefined {
    const wanted = key.toLowerCase();
    return [...this.products.values()].find(
      (product) =>
        product.CustomKey.toLowerCase() === wanted || product.Sku.toLowerCase() === wanted,
    );
  }

  /** Every product, by ID. */
  listProducts(): ClarityProduct[] {
    return [...this.products.values()];
  }

  /** Records money owed to a vendor/affiliate, converted to the account's currency. */
  addCommission(input: {
    TypeKey: ClarityCommission['TypeKey'];
    account: ClarityAccount;
    salesOrderId: number;
    amount: Decimal;
    currency: string;
  }): ClarityCommission {
    const now = this.clock.nowMs();
    const id = this.nextCommissionId++;
    const converted = input.amount.mul(this.fx.rate(input.currency, input.account.CurrencyKey));
    const commission: ClarityCommission = {
      ID: id,
      CustomKey: `COM-${String(id).padStart(6, '0')}`,
      TypeKey: input.TypeKey,
      AccountID: input.account.ID,
      SalesOrderID: input.salesOrderId,
      Amount: toMoney(converted),
      CurrencyKey: input.account.CurrencyKey,
      StatusKey: 'Unpaid',
      CreatedDate: now,
      UpdatedDate: now,
    };
    this.commissions.set(commission.ID, commission);
    return commission;
  }

  /** Commissions and vendor balances, filtered, oldest change first. */
  listCommissions(
    filter: {
      accountId?: number;
      statusKey?: string;
      typeKey?: string;
      modifiedSinceMs?: number;
    } = {},
  ): ClarityCommission[] {
    return [...this.commissions.values()]
      .filter(
        (commission) => filter.accountId === undefined || commission.AccountID === filter.accountId,
      )
      .filter(
        (commission) =>
          filter.statusKey === undefined ||
          commission.StatusKey.toLowerCase() === filter.statusKey.toLowerCase(),
      )
      .filter(
        (commission) =>
          filter.typeKey === undefined ||
          commission.TypeKey.toLowerCase() === filter.typeKey.toLowerCase(),
      )
      .filter(
        (commission) =>
          filter.modifiedSinceMs === undefined || commission.UpdatedDate >= filter.modifiedSinceMs,
      )
      .sort((a, b) => a.UpdatedDate - b.UpdatedDate || a.ID - b.ID);
  }

  /** Marks a commission paid (or unpaid again), recording the payout reference. */
  updateCommission(body: unknown): ClarityActionResult<ClarityCommission> {
    const id = asId(field(body, 'ID'));
    if (id === undefined) return failed('ID is required and must be a positive integer');
    const commission = this.commissions.get(id);
    if (!commission) return failed(`Commission with ID ${id} was not found`);
    const statusKey = asText(field(body, 'StatusKey'));
    if (statusKey !== undefined) {
      const status = ['Unpaid', 'Paid'].find(
        (candidate) => candidate.toLowerCase() === statusKey.toLowerCase(),
      );
      if (status === undefined)
        return failed(`StatusKey '${statusKey}' is not valid for a commission; use Unpaid or Paid`);
      commission.StatusKey = status as ClarityCommission['StatusKey'];
    }
    const reference = asText(field(body, 'PaymentReference'));
    if (reference !== undefined) commission.PaymentReference = reference;
    commission.UpdatedDate = this.clock.nowMs();
    return succeeded(commission);
  }

  /** What the merchant still owes an account, in the account's currency. */
  balanceOwed(accountId: number): string {
    return toMoney(
      this.listCommissions({ accountId, statusKey: 'Unpaid' }).reduce(
        (sum, commission) => sum.plus(commission.Amount),
        new Decimal(0),
      ),
    );
  }

  /** When an account last changed, counting changes to what it is owed, so ModifiedSince polling sees new balances. */
  lastChangeMs(account: ClarityAccount): number {
    const latest = this.listCommissionsRaw(account.ID).reduce(
      (max, commission) => Math.max(max, commission.UpdatedDate),
      0,
    );
    return Math.max(account.UpdatedDate, latest);
  }

  private listCommissionsRaw(accountId: number): ClarityCommission[] {
    return [...this.commissions.values()].filter(
      (commission) => commission.AccountID === accountId,
    );
  }
}
