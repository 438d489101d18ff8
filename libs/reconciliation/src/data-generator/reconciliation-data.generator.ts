import { Decimal } from 'decimal.js';
import { type CanonicalOrder, type CanonicalPayment } from '../canonical-records';
import { SeededRandom } from './seeded-random';

/** How a generated order gets paid; each is a case the engine must handle. */
export type PaymentScenario =
  | 'exact-transaction'
  | 'exact-reference'
  | 'reference-in-text'
  | 'typo'
  | 'net-of-fee'
  | 'fx'
  | 'rounding'
  | 'late'
  | 'multi-order'
  | 'split'
  | 'duplicate-delivery'
  | 'double-payment'
  | 'mismatch'
  | 'unpaid';

/** One delivery to the engine, in arrival order. */
export type ReconciliationEvent =
  | { type: 'order'; at: string; order: CanonicalOrder }
  | { type: 'payment'; at: string; payment: CanonicalPayment };

/** What the engine should conclude for a Payoneer payment: the orders it pays, or null when it must not be auto-posted. */
export interface ExpectedMatch {
  scenario: PaymentScenario | 'orphan';
  orderKeys: string[] | null;
}

export interface GeneratedReconciliationData {
  events: ReconciliationEvent[];
  /** Keyed by payment key `payoneer:<id>`. */
  expected: Record<string, ExpectedMatch>;
  /** Orders that a correct engine auto-matches (all but unpaid, mismatched). */
  matchableOrderKeys: string[];
  scenarioCounts: Partial<Record<PaymentScenario | 'orphan', number>>;
}

export interface ReconciliationDataOptions {
  seed: number;
  orders: number;
  /** First order date; default 2026-01-01. */
  start?: string;
  /** Days the orders spread over; default 30. */
  days?: number;
}

const SCENARIO_WEIGHTS: Record<Exclude<PaymentScenario, 'multi-order'>, number> & {
  'multi-order': number;
} = {
  'exact-transaction': 55,
  'exact-reference': 14,
  'reference-in-text': 3,
  typo: 7,
  'net-of-fee': 4,
  fx: 6,
  rounding: 2,
  late: 2,
  'multi-order': 2,
  split: 2,
  'duplicate-delivery': 1,
  'double-payment': 0.5,
  mismatch: 1,
  unpaid: 1,
};
const CURRENCIES = { EUR: 40, USD: 35, GBP: 15, CAD: 10 } as const;
type Currency = keyof typeof CURRENCIES;
/** Rough value of one unit in EUR, for FX scenarios. */
const EUR_VALUE: Record<Currency, number> = { EUR: 1, USD: 0.92, GBP: 1.17, CAD: 0.68 };
const HOUR_MS = 3_600_000;
const NAMES = [
  'Ada Lovelace',
  'Grace Hopper',
  'Alan Turing',
  'Edsger Dijkstra',
  'Barbara Liskov',
  'Donald Knuth',
  'Frances Allen',
  'Ken Thompson',
];

/** Realistic, seeded orders and payments (fees, FX, typos, part and multi-order payments, duplicates) with the answers a correct engine gives. */
export function generateReconciliationData(
  options: ReconciliationDataOptions,
): GeneratedReconciliationData {
  const random = new SeededRandom(options.seed);
  const start = Date.parse(options.start ?? '2026-01-01T00:00:00Z');
  const spanMs = (options.days ?? 30) * 24 * HOUR_MS;
  const events: ReconciliationEvent[] = [];
  const expected: Record<string, ExpectedMatch> = {};
  const matchable: string[] = [];
  const counts: GeneratedReconciliationData['scenarioCounts'] = {};
  let transactionSeq = 0;
  const nextTransaction = (): string =>
    `PAY-${options.seed}-${String(++transactionSeq).padStart(7, '0')}`;

  const makeOrder = (index: number, customer: number): CanonicalOrder => {
    const currency = random.weighted(CURRENCIES);
    const total = new Decimal(
      Math.exp(Math.log(5) + random.next() * (Math.log(3000) - Math.log(5))),
    ).toDecimalPlaces(2);
    const placedAt = new Date(
      start + Math.floor((index / options.orders) * spanMs) + random.integer(0, 3_600_000),
    );
    const money = (amount: Decimal) => ({ amount: amount.toFixed(2), currency });
    const name = NAMES[customer % NAMES.length] ?? 'Customer';
    return {
      id: { source: 'clarity', sourceId: String(100000 + index) },
      orderNumber: `SO-2026-${String(index + 1).padStart(6, '0')}`,
      status: 'confirmed',
      customer: {
        id: { source: 'clarity', sourceId: String(customer) },
        name,
        email: `customer${customer}@example.com`,
      },
      currency,
      totals: { subTotal: money(total), total: money(total) },
      balanceDue: money(total),
      createdAt: placedAt.toISOString(),
    };
  };

  const payment = (
    order: CanonicalOrder,
    fields: {
      amount: Decimal;
      currency?: string;
      reference?: string;
      delayHours: number;
      transactionId?: string;
      netOfFee?: boolean;
      fxRate?: CanonicalPayment['fxRate'];
    },
  ): CanonicalPayment => {
    const currency = fields.currency ?? order.currency;
    const fee = fields.amount.times(random.pick([0.01, 0.02, 0.03])).toDecimalPlaces(2);
    const transactionId = fields.transactionId ?? nextTransaction();
    const paidAt = new Date(
      Date.parse(order.createdAt) + fields.delayHours * HOUR_MS,
    ).toISOString();
    return {
      id: { source: 'payoneer', sourceId: transactionId },
      transactionId,
      ...(fields.reference === undefined ? {} : { orderReference: fields.reference }),
      status: 'completed',
      amount: { amount: fields.amount.toFixed(2), currency },
      fee: { amount: fee.toFixed(2), currency },
      netAmount: {
        amount: (fields.netOfFee === true ? fields.amount : fields.amount.minus(fee)).toFixed(2),
        currency,
      },
      ...(fields.fxRate === undefined ? {} : { fxRate: fields.fxRate }),
      method: 'card',
      payer: {
        name: order.customer?.name ?? 'Customer',
        email: order.customer?.email ?? 'payer@example.com',
      },
      createdAt: paidAt,
      completedAt: paidAt,
    };
  };
  const keyOf = (record: { id: { source: string; sourceId: string } }) =>
    `${record.id.source}:${record.id.sourceId}`;
  const emit = (
    record: CanonicalPayment,
    orderKeys: string[] | null,
    scenario: ExpectedMatch['scenario'],
  ) => {
    events.push({ type: 'payment', at: record.createdAt, payment: record });
    expected[keyOf(record)] = { scenario, orderKeys };
  };
  const typo = (reference: string): string => {
    const chars = [...reference];
    const at = random.integer(3, chars.length - 1);
    switch (random.integer(0, 3)) {
      case 0:
        chars[at] = String(random.integer(0, 9));
        break;
      case 1: {
        const swap = chars[at - 1] ?? '';
        chars[at - 1] = chars[at] ?? '';
        chars[at] = swap;
        break;
      }
      case 2:
        chars.splice(at, 1);
        break;
      default:
        chars.splice(at, 0, String(random.integer(0, 9)));
    }
    return chars.join('').replace('SO-', random.next() < 0.5 ? 'SO-' : 'so ');
  };

  let index = 0;
  while (index < options.orders) {
    let scenario = random.weighted(SCENARIO_WEIGHTS);
    if (scenario === 'multi-order' && index + 1 >= options.orders) scenario = 'exact-reference';
    counts[scenario] = (counts[scenario] ?? 0) + 1;
    const customer = random.integer(1, Math.max(1, Math.floor(options.orders / 3)));
    const order = makeOrder(index++, customer);
    const orderKey = keyOf(order);
    const total = new Decimal(order.totals.total.amount);
    const reference = order.orderNumber ?? '';
    const delayHours = random.integer(1, 96);
    events.push({ type: 'order', at: order.createdAt, order });
    switch (scenario) {
      case 'exact-transaction': {
        const transactionId = nextTransaction();
        events.push({
          type: 'payment',
          at: new Date(Date.parse(order.createdAt) + 60_000).toISOString(),
          payment: {
            id: { source: 'clarity', sourceId: `CP-${transactionId}` },
            transactionId,
            orderId: order.id,
            status: 'completed',
            amount: order.totals.total,
            createdAt: new Date(Date.parse(order.createdAt) + 60_000).toISOString(),
          },
        });
        emit(
          payment(order, {
            amount: total,
            reference: random.next() < 0.7 ? reference : undefined,
            delayHours,
            transactionId,
          }),
          [orderKey],
          scenario,
        );
        matchable.push(orderKey);
        break;
      }
      case 'exact-reference':
      case 'late':
        emit(
          payment(order, {
            amount: total,
            reference,
            delayHours: scenario === 'late' ? random.integer(15 * 24, 25 * 24) : delayHours,
          }),
          [orderKey],
          scenario,
        );
        matchable.push(orderKey);
        break;
      case 'reference-in-text':
        emit(
          payment(order, {
            amount: total,
            reference: `Payment for order ${reference}`,
            delayHours,
          }),
          [orderKey],
          scenario,
        );
        matchable.push(orderKey);
        break;
      case 'typo':
        emit(
          payment(order, { amount: total, reference: typo(reference), delayHours }),
          [orderKey],
          scenario,
        );
        matchable.push(orderKey);
        break;
      case 'net-of-fee': {
        const fee = total.times(0.02).toDecimalPlaces(2);
        const record = payment(order, {
          amount: total.minus(fee),
          reference,
          delayHours,
          netOfFee: true,
        });
        record.fee = { amount: fee.toFixed(2), currency: order.currency };
        emit(record, [orderKey], scenario);
        matchable.push(orderKey);
        break;
      }
      case 'fx': {
        const paidIn = random.pick(
          (Object.keys(CURRENCIES) as Currency[]).filter((currency) => currency !== order.currency),
        );
        const rate = new Decimal(EUR_VALUE[paidIn] / EUR_VALUE[order.currency as Currency])
          .times(1 + (random.next() - 0.5) * 0.04)
          .toDecimalPlaces(6);
        const amount = total.div(rate).toDecimalPlaces(2);
        emit(
          payment(order, {
            amount,
            currency: paidIn,
            reference,
            delayHours,
            fxRate: {
              rate: rate.toString(),
              sourceCurrency: paidIn,
              targetCurrency: order.currency,
            },
          }),
          [orderKey],
          scenario,
        );
        matchable.push(orderKey);
        break;
      }
      case 'rounding':
        emit(
          payment(order, { amount: total.plus(random.pick([-0.01, 0.01])), reference, delayHours }),
          [orderKey],
          scenario,
        );
        matchable.push(orderKey);
        break;
      case 'multi-order': {
        const second = makeOrder(index++, customer);
        events.push({ type: 'order', at: second.createdAt, order: second });
        const sum = total.plus(second.totals.total.amount);
        if (second.currency === order.currency) {
          emit(
            payment(second, {
              amount: sum,
              reference: `${reference}, ${second.orderNumber ?? ''}`,
              delayHours,
            }),
            [orderKey, keyOf(second)].sort(),
            scenario,
          );
          matchable.push(orderKey, keyOf(second));
        } else {
          // Different currencies cannot share one payment: pay each by reference.
          emit(
            payment(order, { amount: total, reference, delayHours }),
            [orderKey],
            'exact-reference',
          );
          emit(
            payment(second, {
              amount: new Decimal(second.totals.total.amount),
              reference: second.orderNumber,
              delayHours,
            }),
            [keyOf(second)],
            'exact-reference',
          );
          matchable.push(orderKey, keyOf(second));
        }
        break;
      }
      case 'split': {
        const first = total.times(random.pick([0.3, 0.4, 0.5, 0.6])).toDecimalPlaces(2);
        emit(payment(order, { amount: first, reference, delayHours }), [orderKey], scenario);
        emit(
          payment(order, {
            amount: total.minus(first),
            reference,
            delayHours: delayHours + random.integer(1, 48),
          }),
          [orderKey],
          scenario,
        );
        matchable.push(orderKey);
        break;
      }
      case 'duplicate-delivery': {
        const record = payment(order, { amount: total, reference, delayHours });
        emit(record, [orderKey], scenario);
        events.push({
          type: 'payment',
          at: new Date(Date.parse(record.createdAt) + 5 * 60_000).toISOString(),
          payment: record,
        });
        matchable.push(orderKey);
        break;
      }
      case 'double-payment': {
        emit(payment(order, { amount: total, reference, delayHours }), [orderKey], scenario);
        emit(
          payment(order, {
            amount: total,
            reference,
            delayHours: delayHours + random.integer(1, 24),
          }),
          null,
          scenario,
        );
        matchable.push(orderKey);
        break;
      }
      case 'mismatch':
        emit(
          payment(order, {
            amount: total.times(random.pick([0.5, 1.2, 1.5])).toDecimalPlaces(2),
            reference,
            delayHours,
          }),
          null,
          scenario,
        );
        break;
      case 'unpaid':
        break;
    }
  }
  const orphans = Math.floor(options.orders / 200);
  counts.orphan = orphans;
  for (let orphan = 0; orphan < orphans; orphan++) {
    const transactionId = nextTransaction();
    const paidAt = new Date(start + random.next() * spanMs).toISOString();
    const currency = random.weighted(CURRENCIES);
    emit(
      {
        id: { source: 'payoneer', sourceId: transactionId },
        transactionId,
        orderReference: `INV-${random.integer(10000, 99999)}`,
        status: 'completed',
        amount: { amount: new Decimal(random.integer(500, 300000)).div(100).toFixed(2), currency },
        createdAt: paidAt,
      },
      null,
      'orphan',
    );
  }
  // Stable sort: simultaneous events keep generation order (an order before its own payments).
  events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { events, expected, matchableOrderKeys: matchable, scenarioCounts: counts };
}
