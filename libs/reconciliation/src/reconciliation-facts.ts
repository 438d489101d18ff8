import { Decimal } from 'decimal.js';
import {
  type CanonicalMoney,
  type CanonicalOrder,
  type CanonicalPayment,
} from './canonical-records';
import { ReconciliationInputError } from './reconciliation.errors';

/** An order as the matcher sees it: JSON-safe (amounts are decimal strings), keyed `<source>:<sourceId>`. */
export interface OrderFacts {
  key: string;
  source: CanonicalOrder['id']['source'];
  sourceId: string;
  orderNumber?: string;
  currency: string;
  total: string;
  placedAt: string;
  customerEmail?: string;
}

/** A payment as the matcher sees it. `orderKey` is set when the source knows the order exactly (Clarity payments). */
export interface PaymentFacts {
  key: string;
  source: CanonicalPayment['id']['source'];
  sourceId: string;
  transactionId: string;
  orderKey?: string;
  orderReference?: string;
  status: CanonicalPayment['status'];
  currency: string;
  amount: string;
  fee: string;
  netAmount?: string;
  fxRate?: { rate: string; sourceCurrency: string; targetCurrency: string };
  settledAmount?: { amount: string; currency: string };
  paidAt: string;
  payerEmail?: string;
}

const AMOUNT = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,4})?$/;

/** Reads a canonical.order@1 into matcher facts; throws naming the field when it cannot be used. */
export function toOrderFacts(order: CanonicalOrder): OrderFacts {
  const where = `order ${order.id?.source ?? '?'}:${order.id?.sourceId ?? '?'}`;
  requireString(order.id?.sourceId, `${where}: id.sourceId`);
  const total = order.totals?.total;
  requireAmount(total?.amount, `${where}: totals.total.amount`);
  if (total.currency !== order.currency) {
    throw new ReconciliationInputError(
      `${where}: totals.total.currency ${total.currency} differs from order currency ${order.currency}`,
    );
  }
  return {
    key: `${order.id.source}:${order.id.sourceId}`,
    source: order.id.source,
    sourceId: order.id.sourceId,
    orderNumber: order.orderNumber,
    currency: order.currency,
    total: total.amount,
    placedAt: requireTimestamp(order.createdAt, `${where}: createdAt`),
    customerEmail: order.customer?.email?.toLowerCase(),
  };
}

/** Reads a canonical.payment@1 into matcher facts; throws naming the field when it cannot be used. */
export function toPaymentFacts(payment: CanonicalPayment): PaymentFacts {
  const where = `payment ${payment.id?.source ?? '?'}:${payment.id?.sourceId ?? '?'}`;
  requireString(payment.id?.sourceId, `${where}: id.sourceId`);
  requireString(payment.transactionId, `${where}: transactionId`);
  requireAmount(payment.amount?.amount, `${where}: amount.amount`);
  const currency = payment.amount.currency;
  if (payment.fxRate !== undefined && !new Decimal(payment.fxRate.rate).gt(0)) {
    throw new ReconciliationInputError(
      `${where}: fxRate.rate must be positive, got ${payment.fxRate.rate}`,
    );
  }
  let fee = '0';
  if (payment.fee !== undefined) {
    requireAmount(payment.fee.amount, `${where}: fee.amount`);
    fee = inPaymentCurrency(payment, payment.fee, `${where}: fee`);
  }
  let netAmount: string | undefined;
  if (payment.netAmount !== undefined) {
    requireAmount(payment.netAmount.amount, `${where}: netAmount.amount`);
    netAmount = inPaymentCurrency(payment, payment.netAmount, `${where}: netAmount`);
  }
  return {
    key: `${payment.id.source}:${payment.id.sourceId}`,
    source: payment.id.source,
    sourceId: payment.id.sourceId,
    transactionId: payment.transactionId,
    orderKey:
      payment.orderId === undefined
        ? undefined
        : `${payment.orderId.source}:${payment.orderId.sourceId}`,
    orderReference: payment.orderReference,
    status: payment.status,
    currency,
    amount: payment.amount.amount,
    fee,
    netAmount,
    fxRate: payment.fxRate,
    settledAmount: payment.settledAmount,
    paidAt: requireTimestamp(payment.completedAt ?? payment.createdAt, `${where}: createdAt`),
    payerEmail: payment.payer?.email?.toLowerCase(),
  };
}

/**
 * Payoneer reports the fee and net of a converted payment in the balance currency (a EUR payment
 * credited to the USD balance has its fee in USD): they are brought to the payment currency with
 * the payment's own rate. Without a rate for that pair the record cannot be read.
 */
function inPaymentCurrency(
  payment: CanonicalPayment,
  money: CanonicalMoney,
  where: string,
): string {
  const currency = payment.amount.currency;
  if (money.currency === currency) return money.amount;
  const fx = payment.fxRate;
  const rate =
    fx === undefined
      ? undefined
      : fx.sourceCurrency === currency && fx.targetCurrency === money.currency
        ? new Decimal(fx.rate)
        : fx.sourceCurrency === money.currency && fx.targetCurrency === currency
          ? new Decimal(1).div(fx.rate)
          : undefined;
  if (rate === undefined) {
    throw new ReconciliationInputError(
      `${where}.currency ${money.currency} differs from amount.currency ${currency} and fxRate does not convert between them`,
    );
  }
  return new Decimal(money.amount).div(rate).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed();
}

function requireString(value: unknown, where: string): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new ReconciliationInputError(`${where} is required`);
  }
}

function requireAmount(value: unknown, where: string): asserts value is string {
  if (typeof value !== 'string' || !AMOUNT.test(value)) {
    throw new ReconciliationInputError(
      `${where} must be a decimal string like "123.45", got ${JSON.stringify(value)}`,
    );
  }
}

function requireTimestamp(value: unknown, where: string): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new ReconciliationInputError(
      `${where} must be an ISO-8601 timestamp, got ${JSON.stringify(value)}`,
    );
  }
  return new Date(value).toISOString();
}
