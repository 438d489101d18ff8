import { Decimal } from 'decimal.js';
import { type JournalEntryLine, type JournalEntryPlan } from './canonical-records';
import { type PaymentAllocation } from './matcher/match-result';
import { type ReconciliationConfig } from './reconciliation-config';
import { ReconciliationInputError } from './reconciliation.errors';
import { type OrderFacts, type PaymentFacts } from './reconciliation-facts';

/** Everything a revenue entry books: the orders settled and each payment's money in the order currency. */
export interface RevenueEntryInput {
  orders: OrderFacts[];
  payments: PaymentFacts[];
  allocations: PaymentAllocation[];
  postingDate: string;
}

/**
 * The balanced revenue entry for a match: cash and fees debited, the orders' totals credited, and
 * whatever FX conversion or rounding left over on the exchange difference account.
 */
export function buildRevenueEntryPlan(
  input: RevenueEntryInput,
  config: ReconciliationConfig,
): JournalEntryPlan {
  const currency = input.orders[0]?.currency;
  if (currency === undefined)
    throw new ReconciliationInputError('a revenue entry needs at least one order');
  if (input.orders.some((order) => order.currency !== currency)) {
    throw new ReconciliationInputError(
      `orders ${input.orders.map((order) => order.key).join(', ')} are in different currencies: one entry books one currency`,
    );
  }
  const revenue = sum(input.orders.map((order) => order.total)).toDecimalPlaces(
    2,
    Decimal.ROUND_HALF_UP,
  );
  const net = sum(input.allocations.map((allocation) => allocation.cash));
  const allFees = sum(input.allocations.map((allocation) => allocation.fee));
  // A fee posted by its own entry (Dr fees, Cr cash) is booked here as cash, so it lands once.
  const cash = config.feesPostedSeparately ? net.plus(allFees) : net;
  const fees = config.feesPostedSeparately ? new Decimal(0) : allFees;
  const difference = revenue.minus(cash).minus(fees);
  const lines: JournalEntryLine[] = [
    debit(
      config.accounts.cash,
      cash,
      config.feesPostedSeparately
        ? 'Received through Payoneer, before fees'
        : 'Received through Payoneer',
    ),
  ];
  if (fees.gt(0))
    lines.push(withCostCenter(debit(config.accounts.fees, fees, 'Payoneer fees'), config));
  if (difference.gt(0))
    lines.push(debit(config.accounts.fxDifference, difference, 'FX conversion and rounding'));
  if (difference.lt(0))
    lines.push(
      credit(config.accounts.fxDifference, difference.negated(), 'FX conversion and rounding'),
    );
  lines.push(credit(config.accounts.revenue, revenue, `Orders ${orderNames(input.orders)}`));
  return {
    reference: `revenue:${input.orders
      .map((order) => order.key)
      .sort()
      .join('+')}`,
    kind: 'revenue',
    postingDate: input.postingDate,
    currency,
    ...(config.company === undefined ? {} : { company: config.company }),
    remark: `Orders ${orderNames(input.orders)} paid through Payoneer (${input.payments.map((payment) => payment.transactionId).join(', ')})`,
    lines,
    sourceRecords: [
      ...input.orders.map((order) => ({
        type: 'order' as const,
        source: order.source,
        sourceId: order.sourceId,
      })),
      ...input.payments.map((payment) => ({
        type: 'payment' as const,
        source: payment.source,
        sourceId: payment.sourceId,
      })),
    ],
  };
}

/** An adjustment or partial-refund entry a reviewer records: `amount` moves between the adjustments account and revenue or cash. */
export function buildCorrectionEntryPlan(
  input: {
    kind: 'adjustment' | 'refund';
    reference: string;
    currency: string;
    amount: string;
    postingDate: string;
    remark: string;
    records: JournalEntryPlan['sourceRecords'];
  },
  config: ReconciliationConfig,
): JournalEntryPlan {
  if (!/^\d+(\.\d{1,4})?$/.test(input.amount) || new Decimal(input.amount).lte(0)) {
    throw new ReconciliationInputError(
      `${input.kind} amount must be a positive decimal string, got ${JSON.stringify(input.amount)}`,
    );
  }
  const amount = new Decimal(input.amount);
  // A refund pays money back out of the Payoneer balance; an adjustment writes the difference off against revenue.
  const lines =
    input.kind === 'refund'
      ? [
          debit(config.accounts.revenue, amount, 'Partial refund'),
          credit(config.accounts.cash, amount, 'Refunded through Payoneer'),
        ]
      : [
          withCostCenter(
            debit(config.accounts.adjustments, amount, 'Payment difference written off'),
            config,
          ),
          credit(config.accounts.revenue, amount, 'Payment difference'),
        ];
  return {
    reference: input.reference,
    kind: input.kind,
    postingDate: input.postingDate,
    currency: input.currency,
    ...(config.company === undefined ? {} : { company: config.company }),
    remark: input.remark,
    lines,
    sourceRecords: input.records,
  };
}

/** True when the entry's debits equal its credits. */
export function isBalanced(plan: JournalEntryPlan): boolean {
  return sum(plan.lines.map((line) => line.debit)).eq(sum(plan.lines.map((line) => line.credit)));
}

function orderNames(orders: OrderFacts[]): string {
  return orders.map((order) => order.orderNumber ?? order.key).join(', ');
}

function debit(account: string, amount: Decimal, remark: string): JournalEntryLine {
  return { account, debit: amount.toFixed(2), credit: '0', remark };
}

function credit(account: string, amount: Decimal, remark: string): JournalEntryLine {
  return { account, debit: '0', credit: amount.toFixed(2), remark };
}

function withCostCenter(line: JournalEntryLine, config: ReconciliationConfig): JournalEntryLine {
  return config.costCenter === undefined ? line : { ...line, costCenter: config.costCenter };
}

function sum(amounts: string[]): Decimal {
  return amounts.reduce((total, amount) => total.plus(amount), new Decimal(0));
}
