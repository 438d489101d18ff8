import { moneyNumber } from '../common/money';
import {
  type ClarityAccount,
  type ClarityCommission,
  type ClarityPayment,
  type ClarityProduct,
  type ClaritySalesOrder,
} from './clarity.models';
import { orderStatusId } from './clarity-order-statuses';

// ServiceStack answers decimals as JSON numbers and, in this sandbox, dates as ISO-8601 strings.
const iso = (ms: number) => new Date(ms).toISOString();

/** A sales order as Clarity's API returns it. */
export function salesOrderToWire(order: ClaritySalesOrder): Record<string, unknown> {
  return {
    ID: order.ID,
    CustomKey: order.CustomKey,
    Name: order.Name,
    Description: order.Description ?? null,
    Active: true,
    CreatedDate: iso(order.CreatedDate),
    UpdatedDate: iso(order.UpdatedDate),
    StatusID: orderStatusId(order.StatusKey),
    StatusKey: order.StatusKey,
    StatusName: order.StatusKey,
    TypeKey: 'Sales Order',
    AccountID: order.AccountID,
    AccountKey: order.AccountKey,
    AffiliateAccountID: order.AffiliateAccountID ?? null,
    CurrencyKey: order.CurrencyKey,
    Totals: Object.fromEntries(
      Object.entries(order.Totals).map(([key, value]: [string, string]) => [
        key,
        moneyNumber(value),
      ]),
    ),
    BalanceDue: moneyNumber(order.BalanceDue),
    SalesItems: order.SalesItems.map((item) => ({
      ID: item.ID,
      ProductID: item.ProductID,
      ProductKey: item.ProductKey,
      Sku: item.Sku,
      Name: item.Name,
      Quantity: item.Quantity,
      UnitSoldPrice: moneyNumber(item.UnitSoldPrice),
      VendorAccountID: item.VendorAccountID ?? null,
    })),
  };
}

/** A payment as Clarity's API returns it. */
export function paymentToWire(payment: ClarityPayment): Record<string, unknown> {
  return {
    ID: payment.ID,
    CustomKey: payment.CustomKey,
    SalesOrderID: payment.SalesOrderID,
    AccountID: payment.AccountID,
    Amount: moneyNumber(payment.Amount),
    CurrencyKey: payment.CurrencyKey,
    StatusKey: payment.StatusKey,
    PaymentMethodKey: payment.PaymentMethodKey,
    TransactionNumber: payment.TransactionNumber,
    CreatedDate: iso(payment.CreatedDate),
    UpdatedDate: iso(payment.UpdatedDate),
  };
}

/** An account as Clarity's API returns it, with what the merchant owes it. */
export function accountToWire(
  account: ClarityAccount,
  balanceOwed: string,
  lastChangeMs: number,
): Record<string, unknown> {
  return {
    ID: account.ID,
    CustomKey: account.CustomKey,
    Name: account.Name,
    Email: account.Email,
    TypeKey: account.TypeKey,
    TypeName: account.TypeKey,
    CurrencyKey: account.CurrencyKey,
    CountryCode: account.CountryCode,
    Active: account.Active,
    BalanceOwed: moneyNumber(balanceOwed),
    CreatedDate: iso(account.CreatedDate),
    UpdatedDate: iso(lastChangeMs),
  };
}

/** A commission / vendor balance record. */
export function commissionToWire(commission: ClarityCommission): Record<string, unknown> {
  return {
    ID: commission.ID,
    CustomKey: commission.CustomKey,
    TypeKey: commission.TypeKey,
    AccountID: commission.AccountID,
    SalesOrderID: commission.SalesOrderID,
    Amount: moneyNumber(commission.Amount),
    CurrencyKey: commission.CurrencyKey,
    StatusKey: commission.StatusKey,
    PaymentReference: commission.PaymentReference ?? null,
    CreatedDate: iso(commission.CreatedDate),
    UpdatedDate: iso(commission.UpdatedDate),
  };
}

/** A product. */
export function productToWire(product: ClarityProduct): Record<string, unknown> {
  return {
    ID: product.ID,
    CustomKey: product.CustomKey,
    Name: product.Name,
    Sku: product.Sku,
    Price: moneyNumber(product.PriceUSD),
    CurrencyKey: 'USD',
    VendorAccountID: product.VendorAccountID ?? null,
    CreatedDate: iso(product.CreatedDate),
    UpdatedDate: iso(product.UpdatedDate),
  };
}
