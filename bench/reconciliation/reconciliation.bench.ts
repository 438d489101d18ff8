/**
 * Reconciliation benchmark: generated orders and Payoneer payments (fees, FX, typos, split and
 * multi-order payments, duplicates) through the Postgres-backed ReconciliationService, scored
 * against the generator's answers; then the pure matcher alone for its throughput.
 *   npm run bench:reconciliation -- [--orders 10000] [--seed 42] [--append]
 */
import { performance } from 'node:perf_hooks';
import { createTestDatabase } from '@switchboard/persistence';
import {
  generateReconciliationData,
  matchPayment,
  normalizeReference,
  type OrderCandidate,
  type PaymentFacts,
  type ReconciliationDecision,
  ReconciliationService,
  referenceTokens,
  resolveReconciliationConfig,
  toOrderFacts,
  toPaymentFacts,
  type OrderFacts,
} from '@switchboard/reconciliation';
import { appendResults, markdownTable, numberOption, parseArgs } from '../lib/bench-report';

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const orders = numberOption(options, 'orders', 10_000);
  const seed = numberOption(options, 'seed', 42);
  const data = generateReconciliationData({ seed, orders });
  const paymentEvents = data.events.filter(
    (event) => event.type === 'payment' && event.payment.id.source === 'payoneer',
  ).length;
  process.stdout.write(
    `generated ${orders} orders, ${data.events.length} events (${paymentEvents} Payoneer payment deliveries)\n`,
  );

  const db = await createTestDatabase();
  const matched = new Map<string, Extract<ReconciliationDecision, { status: 'matched' }>>();
  let reviews = 0;
  const started = performance.now();
  try {
    const service = new ReconciliationService(db.dataSource);
    for (const event of data.events) {
      const decision =
        event.type === 'order'
          ? await service.ingestOrder(event.order)
          : await service.ingestPayment(event.payment);
      if (decision.status === 'matched' && !decision.duplicate)
        matched.set(decision.matchId, decision);
      if (decision.status === 'review' && !decision.duplicate) reviews += 1;
    }
  } finally {
    await db.drop();
  }
  const serviceSeconds = (performance.now() - started) / 1000;

  let correct = 0;
  let wrong = 0;
  const correctOrders = new Set<string>();
  const wrongExamples: string[] = [];
  for (const match of matched.values()) {
    const truth = match.paymentKeys.map(
      (key) => data.expected[key]?.orderKeys?.slice().sort().join('+') ?? 'none',
    );
    const claimed = match.orderKeys.slice().sort().join('+');
    if (truth.every((orderKeys) => orderKeys === claimed)) {
      correct += 1;
      match.orderKeys.forEach((key) => correctOrders.add(key));
    } else {
      wrong += 1;
      if (wrongExamples.length < 5)
        wrongExamples.push(
          `${match.paymentKeys.join(',')} → ${claimed} (expected ${truth.join(' | ')})`,
        );
    }
  }
  const autoRate = correctOrders.size / data.matchableOrderKeys.length;
  const precision = matched.size === 0 ? 1 : correct / matched.size;

  // The pure matcher alone: candidates from an in-memory index, then only matchPayment is timed.
  const orderFacts = data.events.flatMap((event) =>
    event.type === 'order' ? [toOrderFacts(event.order)] : [],
  );
  const byReference = new Map<string, OrderFacts>(
    orderFacts.map((order) => [normalizeReference(order.orderNumber ?? ''), order]),
  );
  const sorted = orderFacts.slice().sort((a, b) => Number(a.total) - Number(b.total));
  const payments: PaymentFacts[] = data.events.flatMap((event) =>
    event.type === 'payment' && event.payment.id.source === 'payoneer'
      ? [toPaymentFacts(event.payment)]
      : [],
  );
  const inputs = payments.map((payment) => {
    const found = new Map<string, OrderFacts>();
    for (const token of payment.orderReference === undefined
      ? []
      : [normalizeReference(payment.orderReference), ...referenceTokens(payment.orderReference)]) {
      const order = byReference.get(token);
      if (order !== undefined) found.set(order.key, order);
    }
    const amount = Number(payment.amount);
    for (const order of window(
      sorted,
      amount * 0.99 - 0.05,
      (amount + Number(payment.fee)) * 1.01 + 0.05,
    )) {
      if (order.currency === payment.currency) found.set(order.key, order);
    }
    const candidates: OrderCandidate[] = [...found.values()].map((order) => ({
      order,
      state: 'open',
      paidSoFar: '0',
      heldPaymentKeys: [],
      transactionIds: [],
    }));
    return { payment, candidates };
  });
  const config = resolveReconciliationConfig();
  const matcherStarted = performance.now();
  let candidatesWeighed = 0;
  for (const input of inputs) {
    matchPayment(input.payment, input.candidates, config);
    candidatesWeighed += input.candidates.length;
  }
  const matcherSeconds = (performance.now() - matcherStarted) / 1000;

  const rows: Array<Array<string | number>> = [
    ['orders / events', `${orders} / ${data.events.length}`],
    ['matchable orders', data.matchableOrderKeys.length],
    ['auto-matched (correct) orders', `${correctOrders.size} (${(autoRate * 100).toFixed(2)} %)`],
    ['auto-posted matches', matched.size],
    ['wrong postings', wrong],
    ['precision', `${(precision * 100).toFixed(2)} %`],
    ['review items raised', reviews],
    [
      'service throughput (Postgres, 1 worker)',
      `${Math.round(data.events.length / serviceSeconds)} events/s (${serviceSeconds.toFixed(1)} s)`,
    ],
    [
      'pure matcher throughput',
      `${Math.round(inputs.length / matcherSeconds)} payments/s (${(candidatesWeighed / inputs.length).toFixed(1)} candidates each)`,
    ],
  ];
  const body = `${markdownTable(['measure', 'value'], rows)}\n\nScenarios: ${Object.entries(
    data.scenarioCounts,
  )
    .map(([name, count]) => `${name} ${count}`)
    .join(', ')}.${
    wrongExamples.length === 0 ? '' : `\n\nWrong postings (first 5): ${wrongExamples.join('; ')}`
  }`;
  process.stdout.write(`${body}\n`);
  if (options.has('append')) {
    appendResults(
      `Reconciliation: auto-match rate, precision, throughput (${orders} orders, seed ${seed})`,
      `npm run bench:reconciliation -- --orders ${orders} --seed ${seed} --append`,
      body,
    );
  }
  if (wrong > 0) process.exitCode = 1;
}

/** Orders whose total lies in [min, max], from a list sorted by total. */
function window(sorted: OrderFacts[], min: number, max: number): OrderFacts[] {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (Number(sorted[middle]?.total) < min) low = middle + 1;
    else high = middle;
  }
  const found: OrderFacts[] = [];
  for (let index = low; index < sorted.length && Number(sorted[index]?.total) <= max; index++) {
    const order = sorted[index];
    if (order !== undefined) found.push(order);
  }
  return found;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
