/** Order totals as stored: decimal strings. */
export interface ClarityTotals {
  SubTotal: string;
  Shipping: string;
  Handling: string;
  Fees: string;
  Discounts: string;
  Tax: string;
  Total: string;
}

/** A line of a sales order. */
export interface ClaritySalesItem {
  ID: number;
  ProductID: number;
  ProductKey: string;
  Sku: string;
  Name: string;
  Quantity: number;
  UnitSoldPrice: string;
  /** Dropshipping vendor who is owed part of this line, when the product has one. */
  VendorAccountID?: number;
}

/** A sales order as the Clarity simulator stores it. */
export interface ClaritySalesOrder {
  ID: number;
  CustomKey: string;
  Name: string;
  Description?: string;
  StatusKey: string;
  AccountID: number;
  AccountKey: string;
  AffiliateAccountID?: number;
  CurrencyKey: string;
  Totals: ClarityTotals;
  BalanceDue: string;
  SalesItems: ClaritySalesItem[];
  CreatedDate: number;
  UpdatedDate: number;
}

/** A payment against a sales order. */
export interface ClarityPayment {
  ID: number;
  CustomKey: string;
  SalesOrderID: number;
  AccountID: number;
  Amount: string;
  CurrencyKey: string;
  StatusKey: string;
  PaymentMethodKey: string;
  /** Processor transaction id; the Payoneer received payment carries it as payment_reference. */
  TransactionNumber: string;
  CreatedDate: number;
  UpdatedDate: number;
}

/** Account types: customers buy, vendors dropship, affiliates refer. */
export const CLARITY_ACCOUNT_TYPES = ['Customer', 'Vendor', 'Affiliate'] as const;
export type ClarityAccountType = (typeof CLARITY_ACCOUNT_TYPES)[number];

/** A customer, vendor or affiliate account. */
export interface ClarityAccount {
  ID: number;
  CustomKey: string;
  Name: string;
  Email: string;
  TypeKey: ClarityAccountType;
  CurrencyKey: string;
  CountryCode: string;
  Active: boolean;
  CreatedDate: number;
  UpdatedDate: number;
}

/** Money the merchant owes a vendor or affiliate for one order. */
export interface ClarityCommission {
  ID: number;
  CustomKey: string;
  TypeKey: 'Affiliate Commission' | 'Vendor Balance';
  AccountID: number;
  SalesOrderID: number;
  Amount: string;
  CurrencyKey: string;
  StatusKey: 'Unpaid' | 'Paid';
  PaymentReference?: string;
  CreatedDate: number;
  UpdatedDate: number;
}

/** A catalogue product; prices are in USD and converted to the order currency. */
export interface ClarityProduct {
  ID: number;
  CustomKey: string;
  Name: string;
  Sku: string;
  PriceUSD: string;
  VendorAccountID?: number;
  CreatedDate: number;
  UpdatedDate: number;
}
