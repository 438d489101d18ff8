import Decimal from 'decimal.js';
import { Inject, Injectable } from '@nestjs/common';
import { DomainEvents } from '../common/domain-events';
import { FxRates } from '../common/fx-rates';
import { parseAmount, toMoney } from '../common/money';
import { RandomSource } from '../common/random-source';
import { SandboxClock } from '../common/sandbox-clock';
import { type ClarityActionResult, failed, succeeded } from './clarity-action-result';
import { ClarityCatalogService } from './clarity-catalog.service';
import { asId, asText, field } from './clarity-input';
import {
  type ClarityPayment,
  type ClaritySalesItem,
  type ClaritySalesOrder,
  type ClarityTotals,
} from './clarity.models';
import {
  canonicalOrderStatus,
  CLARITY_ORDER_STATUSES,
  PAYABLE_ORDER_STATUSES,
} from './clarity-order-statuses';

const AFFILIATE_COMMISSION_RATE = new Decimal('0.10');
const VENDOR_SHARE = new Decimal('0.70');
const TOTAL_PARTS = ['Shipping', 'Handling', 'Fees', 'Discounts', 'Tax'] as const;

/** Filters of the sales order list. */
export interface SalesOrderFilter {
  modifiedSinceMs?: number;
  statusKey?: string;
  accountId?: number;
}

/** Clarity sales orders and their payments, with the status rules payments drive. */
@Injectable()
export class ClarityOrdersService {
  private orders = new Map<number, ClaritySalesOrder>();
  private payments = new Map<number, ClarityPayment>();
  private nextOrderId = 1;
  private nextItemId = 1;
  private nextPaymentId = 1;

  constructor(
    @Inject(SandboxClock) private readonly clock: SandboxClock,
    @Inject(RandomSource) private readonly random: RandomSource,
    @Inject(FxRates) private readonly fx: FxRates,
    @Inject(DomainEvents) private readonly events: DomainEvents,
    @Inject(ClarityCatalogService) private readonly catalog: ClarityCatalogService,
  ) {}

  /** Empties orders and payments. */
  reset(): void {
    this.orders.clear();
    this.payments.clear();
    this.nextOrderId = 1;
    this.nextItemId = 1;
    this.nextPaymentId = 1;
  }

  /** An order by ID. */
  getOrder(id: number): ClaritySalesOrder | undefined {
    return this.orders.get(id);
  }

  /** An order by CustomKey (case-insensitive). */
  findOrderByKey(key: string): ClaritySalesOrder | undefined {
    return [...this.orders.values()].find(
      (order) => order.CustomKey.toLowerCase() === key.toLowerCase(),
    );
  }

  /** Orders matching the filter, oldest change first so `ModifiedSince` cursors move forward. */
  listOrders(filter: SalesOrderFilter = {}): ClaritySalesOrder[] {
    return [...this.orders.values()]
      .filter(
        (order) =>
          filter.modifiedSinceMs === undefined || order.UpdatedDate >= filter.modifiedSinceMs,
      )
      .filter(
        (order) =>
          filter.statusKey === undefined ||
          order.StatusKey.toLowerCase() === filter.statusKey.toLowerCase(),
      )
      .filter((order) => filter.accountId === undefined || order.AccountID === filter.accountId)
      .sort((a, b) => a.UpdatedDate - b.UpdatedDate || a.ID - b.ID);
  }

  /** Creates an order from a Clarity SalesOrder body; emits `order.created`. */
  createOrder(body: unknown): ClarityActionResult<ClaritySalesOrder> {
    const messages: string[] = [];
    const accountId = asId(field(body, 'AccountID'));
    const accountKey = asText(field(body, 'AccountKey'));
    const account =
      accountId !== undefined
        ? this.catalog.getAccount(accountId)
        : accountKey !== undefined
          ? this.catalog.findAccountByKey(accountKey)
          : undefined;
    if (accountId === undefined && accountKey === undefined)
      messages.push('AccountID or AccountKey is required');
    else if (!account) messages.push(`Account ${accountId ?? accountKey} was not found`);
    else if (account.TypeKey !== 'Customer')
      messages.push(`Account ${account.ID} is a ${account.TypeKey}, not a Customer`);

    const currency = asText(field(body, 'CurrencyKey'))?.toUpperCase() ?? account?.CurrencyKey;
    if (currency === undefined) messages.push('CurrencyKey is required');
    else if (!this.fx.knows(currency))
      messages.push(`CurrencyKey '${currency}' is not a supported currency`);

    const customKey = asText(field(body, 'CustomKey'));
    if (customKey !== undefined && this.findOrderByKey(customKey))
      messages.push(`A SalesOrder with CustomKey '${customKey}' already exists`);

    const statusInput = asText(field(body, 'StatusKey'));
    const statusKey = statusInput === undefined ? 'Pending' : canonicalOrderStatus(statusInput);
    if (statusKey === undefined)
      messages.push(
        `StatusKey '${statusInput}' is not one of: ${CLARITY_ORDER_STATUSES.join(', ')}`,
      );

    const affiliateId =
      field(body, 'AffiliateAccountID') == null
        ? undefined
        : asId(field(body, 'AffiliateAccountID'));
    const affiliate = affiliateId === undefined ? undefined : this.catalog.getAccount(affiliateId);
    if (
      field(body, 'AffiliateAccountID') != null &&
      (affiliate === undefined || affiliate.TypeKey !== 'Affiliate')
    ) {
      messages.push(
        `AffiliateAccountID ${String(field(body, 'AffiliateAccountID'))} is not an affiliate account`,
      );
    }

    const items = this.readItems(field(body, 'SalesItems'), currency, messages);
    const totalsInput = field(body, 'Totals');
    const parts: Record<(typeof TOTAL_PARTS)[number], Decimal> = {
      Shipping: new Decimal(0),
      Handling: new Decimal(0),
      Fees: new Decimal(0),
      Discounts: new Decimal(0),
      Tax: new Decimal(0),
    };
    for (const part of TOTAL_PARTS) {
      const raw = field(totalsInput, part);
      if (raw == null) continue;
      const amount = parseAmount(raw);
      if (amount === undefined || amount.isNegative())
        messages.push(`Totals.${part} must be a non-negative amount`);
      else parts[part] = amount;
    }
    if (messages.length > 0 || !account || currency === undefined || statusKey === undefined)
      return failed(...messages);

    const subTotal = items.reduce(
      (sum, item) => sum.plus(new Decimal(item.UnitSoldPrice).mul(item.Quantity)),
      new Decimal(0),
    );
    const total = subTotal
      .plus(parts.Shipping)
      .plus(parts.Handling)
      .plus(parts.Fees)
      .plus(parts.Tax)
      .minus(parts.Discounts);
    if (total.isNegative()) return failed('Totals.Discounts exceed the order value');
    const totals: ClarityTotals = {
      SubTotal: toMoney(subTotal),
      Shipping: toMoney(parts.Shipping),
      Handling: toMoney(parts.Handling),
      Fees: toMoney(parts.Fees),
      Discounts: toMoney(parts.Discounts),
      Tax: toMoney(parts.Tax),
      Total: toMoney(total),
    };
    const now = this.clock.nowMs();
    const id = this.nextOrderId++;
    const key = customKey ?? `ORD-${String(id).padStart(6, '0')}`;
    const order: ClaritySalesOrder = {
      ID: id,
      CustomKey: key,
      Name: asText(field(body, 'Name')) ?? `Order ${key}`,
      Description: asText(field(body, 'Description')),
      StatusKey: statusKey,
      AccountID: account.ID,
      AccountKey: account.CustomKey,
      AffiliateAccountID: affiliate?.ID,
      CurrencyKey: currency,
      Totals: totals,
      BalanceDue: totals.Total,
      SalesItems: items,
      CreatedDate: now,
      UpdatedDate: now,
    };
    this.orders.set(order.ID, order);
    this.recordCommissions(order, affiliate?.ID);
    this.events.emit('clarity.order.created', { order });
    return succeeded(order);
  }

  /** Updates Name, Description or StatusKey of an order; a status change emits `order.status_changed`. */
  updateOrder(body: unknown): ClarityActionResult<ClaritySalesOrder> {
    const id = asId(field(body, 'ID'));
    if (id === undefined) return failed('ID is required and must be a positive integer');
    const order = this.orders.get(id);
    if (!order) return failed(`SalesOrder with ID ${id} was not found`);
    return this.applyUpdate(order, body);
  }

  /** Updates the order with the body's CustomKey, or creates it. */
  upsertOrder(body: unknown): ClarityActionResult<ClaritySalesOrder> {
    const key = asText(field(body, 'CustomKey'));
    const id = asId(field(body, 'ID'));
    const existing =
      id !== undefined
        ? this.orders.get(id)
        : key !== undefined
          ? this.findOrderByKey(key)
          : undefined;
    return existing ? this.applyUpdate(existing, body) : this.createOrder(body);
  }

  /** Moves an order to Confirmed. */
  confirmOrder(id: number): ClarityActionResult<ClaritySalesOrder> {
    const order = this.orders.get(id);
    if (!order) return failed(`SalesOrder with ID ${id} was not found`);
    if (order.StatusKey !== 'Pending' && order.StatusKey !== 'On Hold') {
      return failed(`SalesOrder ${id} is '${order.StatusKey}' and cannot be confirmed`);
    }
    this.changeStatus(order, 'Confirmed');
    return succeeded(order);
  }

  /** A payment by ID. */
  getPayment(id: number): ClarityPayment | undefined {
    return this.payments.get(id);
  }

  /** Payments, optionally of one order or modified since a time, oldest change first. */
  listPayments(filter: { salesOrderId?: number; modifiedSinceMs?: number } = {}): ClarityPayment[] {
    return [...this.payments.values()]
      .filter(
        (payment) =>
          filter.salesOrderId === undefined || payment.SalesOrderID === filter.salesOrderId,
      )
      .filter(
        (payment) =>
          filter.modifiedSinceMs === undefined || payment.UpdatedDate >= filter.modifiedSinceMs,
      )
      .sort((a, b) => a.UpdatedDate - b.UpdatedDate || a.ID - b.ID);
  }

  /**
   * Processes a payment against an order: lowers BalanceDue, moves the order to
   * Partial/Full Payment Received, emits `payment.processed` (and the status change).
   */
  createPayment(body: unknown): ClarityActionResult<ClarityPayment> {
    const orderId = asId(field(body, 'SalesOrderID'));
    const orderKey = asText(field(body, 'SalesOrderKey'));
    const order =
      orderId !== undefined
        ? this.orders.get(orderId)
        : orderKey !== undefined
          ? this.findOrderByKey(orderKey)
          : undefined;
    if (orderId === undefined && orderKey === undefined) return failed('SalesOrderID is required');
    if (!order) return failed(`SalesOrder ${orderId ?? orderKey} was not found`);
    const amount = parseAmount(field(body, 'Amount'));
    if (amount === undefined || amount.lte(0)) return failed('Amount must be a positive amount');
    if (amount.decimalPlaces() > 2) return failed('Amount must have at most 2 decimal places');
    const currency = asText(field(body, 'CurrencyKey'))?.toUpperCase() ?? order.CurrencyKey;
    if (currency !== order.CurrencyKey)
      return failed(
        `CurrencyKey '${currency}' does not match the order currency '${order.CurrencyKey}'`,
      );
    if (!PAYABLE_ORDER_STATUSES.includes(order.StatusKey))
      return failed(`SalesOrder ${order.ID} is '${order.StatusKey}' and cannot take payments`);
    if (amount.gt(order.BalanceDue))
      return failed(
        `Amount ${toMoney(amount)} exceeds the BalanceDue ${order.BalanceDue} of SalesOrder ${order.ID}`,
      );
    const transactionNumber =
      asText(field(body, 'TransactionNumber')) ??
      `PNR-${this.random.stream('clarity-payments').hex(12).toUpperCase()}`;
    if (
      [...this.payments.values()].some((payment) => payment.TransactionNumber === transactionNumber)
    ) {
      return failed(`A payment with TransactionNumber '${transactionNumber}' already exists`);
    }
    const now = this.clock.nowMs();
    const id = this.nextPaymentId++;
    const payment: ClarityPayment = {
      ID: id,
      CustomKey: `PAY-${String(id).padStart(6, '0')}`,
      SalesOrderID: order.ID,
      AccountID: order.AccountID,
      Amount: toMoney(amount),
      CurrencyKey: currency,
      StatusKey: 'Processed',
      PaymentMethodKey: asText(field(body, 'PaymentMethodKey')) ?? 'Payoneer',
      TransactionNumber: transactionNumber,
      CreatedDate: now,
      UpdatedDate: now,
    };
    this.payments.set(payment.ID, payment);
    order.BalanceDue = toMoney(new Decimal(order.BalanceDue).minus(amount));
    order.UpdatedDate = now;
    this.events.emit('clarity.payment.processed', { payment, order });
    this.changeStatus(
      order,
      new Decimal(order.BalanceDue).isZero() ? 'Full Payment Received' : 'Partial Payment Received',
    );
    return succeeded(payment);
  }

  private applyUpdate(
    order: ClaritySalesOrder,
    body: unknown,
  ): ClarityActionResult<ClaritySalesOrder> {
    const statusInput = asText(field(body, 'StatusKey'));
    const statusKey = statusInput === undefined ? undefined : canonicalOrderStatus(statusInput);
    if (statusInput !== undefined && statusKey === undefined) {
      return failed(
        `StatusKey '${statusInput}' is not one of: ${CLARITY_ORDER_STATUSES.join(', ')}`,
      );
    }
    if (statusKey !== undefined && statusKey !== order.StatusKey && order.StatusKey === 'Void') {
      return failed(`SalesOrder ${order.ID} is Void and its status cannot change`);
    }
    const name = asText(field(body, 'Name'));
    const description = asText(field(body, 'Description'));
    let changed = false;
    if (name !== undefined && name !== order.Name) {
      order.Name = name;
      changed = true;
    }
    if (description !== undefined && description !== order.Description) {
      order.Description = description;
      changed = true;
    }
    if (changed) order.UpdatedDate = this.clock.nowMs();
    if (statusKey !== undefined) this.changeStatus(order, statusKey);
    return succeeded(order);
  }

  private changeStatus(order: ClaritySalesOrder, statusKey: string): void {
    if (order.StatusKey === statusKey) return;
    const previousStatusKey = order.StatusKey;
    order.StatusKey = statusKey;
    order.UpdatedDate = this.clock.nowMs();
    this.events.emit('clarity.order.status_changed', { order, previousStatusKey });
  }

  private readItems(
    raw: unknown,
    currency: string | undefined,
    messages: string[],
  ): ClaritySalesItem[] {
    if (!Array.isArray(raw) || raw.length === 0) {
      messages.push('SalesItems must contain at least one item');
      return [];
    }
    const items: ClaritySalesItem[] = [];
    raw.forEach((line: unknown, index) => {
      const productId = asId(field(line, 'ProductID'));
      const productKey = asText(field(line, 'ProductKey')) ?? asText(field(line, 'Sku'));
      const product =
        productId !== undefined
          ? this.catalog.getProduct(productId)
          : productKey !== undefined
            ? this.catalog.findProductByKey(productKey)
            : undefined;
      if (!product) {
        messages.push(
          `SalesItems[${index}]: product ${productId ?? productKey ?? '(none given)'} was not found`,
        );
        return;
      }
      const quantity = field(line, 'Quantity');
      if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) {
        messages.push(`SalesItems[${index}].Quantity must be a positive integer`);
        return;
      }
      const given = field(line, 'UnitSoldPrice');
      const price = given == null ? undefined : parseAmount(given);
      if (given != null && (price === undefined || price.isNegative())) {
        messages.push(`SalesItems[${index}].UnitSoldPrice must be a non-negative amount`);
        return;
      }
      if (currency === undefined || !this.fx.knows(currency)) return;
      items.push({
        ID: this.nextItemId++,
        ProductID: product.ID,
        ProductKey: product.CustomKey,
        Sku: product.Sku,
        Name: product.Name,
        Quantity: quantity,
        UnitSoldPrice: toMoney(
          price ?? new Decimal(product.PriceUSD).mul(this.fx.rate('USD', currency)),
        ),
        VendorAccountID: product.VendorAccountID,
      });
    });
    return items;
  }

  private recordCommissions(order: ClaritySalesOrder, affiliateId: number | undefined): void {
    const affiliate = affiliateId === undefined ? undefined : this.catalog.getAccount(affiliateId);
    if (affiliate) {
      this.catalog.addCommission({
        TypeKey: 'Affiliate Commission',
        account: affiliate,
        salesOrderId: order.ID,
        amount: new Decimal(order.Totals.SubTotal).mul(AFFILIATE_COMMISSION_RATE),
        currency: order.CurrencyKey,
      });
    }
    for (const item of order.SalesItems) {
      const vendor =
        item.VendorAccountID === undefined
          ? undefined
          : this.catalog.getAccount(item.VendorAccountID);
      if (!vendor) continue;
      this.catalog.addCommission({
        TypeKey: 'Vendor Balance',
        account: vendor,
        salesOrderId: order.ID,
        amount: new Decimal(item.UnitSoldPrice).mul(item.Quantity).mul(VENDOR_SHARE),
        currency: order.CurrencyKey,
      });
    }
  }
}
