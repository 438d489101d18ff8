import { Decimal } from 'decimal.js';
import { type ReconciliationConfig } from '../reconciliation-config';
import { type PaymentFacts } from '../reconciliation-facts';
import {
  type CandidateAssessment,
  type MatchResult,
  type OrderCandidate,
  type PaymentAllocation,
  type RuleHit,
} from './match-result';
import { normalizeReference, referenceSimilarity, referenceTokens } from './reference-similarity';

// Weights of the scored matcher: the reference says which order, the amount confirms it, the date breaks ties.
const REFERENCE_WEIGHT = 0.55;
const AMOUNT_WEIGHT = 0.35;
const DATE_WEIGHT = 0.1;
const PAYER_BONUS = 0.05;
const AMOUNT_SCORES = { exact: 1, rounding: 0.97, netOfFee: 0.95, fx: 0.93 } as const;
const DAY_MS = 86_400_000;

interface Conversion {
  rate?: Decimal;
  gross: Decimal;
  fee: Decimal;
  cash: Decimal;
  netOfFee: boolean;
  rule: RuleHit;
}

/**
 * Decides what one payment pays: exact keys first (transaction id or reference with amount and
 * currency), then a score over reference similarity, amount (fees, FX, rounding), date and payer,
 * for single orders, several orders named in one reference, and the rest of a part-paid order. Pure.
 */
export function matchPayment(
  payment: PaymentFacts,
  candidates: readonly OrderCandidate[],
  config: ReconciliationConfig,
): MatchResult {
  const assessments = candidates.map((candidate) => assessSingle(payment, candidate, config));
  const multi = assessMultiple(payment, candidates, config);
  if (multi !== undefined) assessments.push(multi);
  assessments.sort((a, b) => b.score - a.score);

  const open = assessments.filter((assessment) => !assessment.closed);
  const best = open[0];
  const runnerUp = open[1];
  const evidenceOf = (rules: RuleHit[]): MatchResult['evidence'] => ({
    payment: {
      key: payment.key,
      transactionId: payment.transactionId,
      orderReference: payment.orderReference,
      amount: payment.amount,
      currency: payment.currency,
      fee: payment.fee,
    },
    rules,
    tolerances: {
      roundingTolerance: config.roundingTolerance,
      fxTolerance: config.fxTolerance,
      dateWindowDays: config.dateWindowDays,
      autoPostThreshold: config.autoPostThreshold,
      minimumMargin: config.minimumMargin,
    },
    candidates: assessments.slice(0, 5).map(({ allocation: _allocation, ...rest }) => rest),
  });
  const decide = (
    outcome: MatchResult['outcome'],
    chosen: CandidateAssessment | undefined,
    extraRules: RuleHit[] = [],
    reviewReason?: MatchResult['reviewReason'],
  ): MatchResult => ({
    outcome,
    reviewReason,
    kind: chosen?.exact === true ? 'exact' : 'scored',
    orderKeys: chosen?.orderKeys ?? [],
    score: round4(chosen?.score ?? 0),
    allocation: chosen?.allocation,
    evidence: evidenceOf([...(chosen?.rules ?? []), ...extraRules]),
  });

  // A strong hit on an order that is reconciled already, where the amount fits too: a second payment.
  const duplicateOf = assessments.find(
    (assessment) =>
      assessment.closed &&
      assessment.exactKey &&
      assessment.amountFit === 'fit' &&
      assessment.score >= config.autoPostThreshold,
  );
  if (best !== undefined) {
    const margin = runnerUp === undefined ? 1 : best.score - runnerUp.score;
    const rivalIsExact = runnerUp?.exact === true;
    if (best.amountFit === 'fit') {
      if (best.exact && !rivalIsExact) return decide('auto', best, [{ rule: 'match.exact' }]);
      // The payment names another order exactly (which it may part-pay, or pay a second time):
      // a near-miss reference elsewhere must not win on its own.
      const namedExactly =
        duplicateOf ??
        open.find(
          (assessment) =>
            assessment !== best && assessment.exactKey && assessment.amountFit === 'partial',
        );
      if (namedExactly !== undefined && !best.exactKey) {
        const detail = `names ${namedExactly.orderKeys.join(', ')} exactly`;
        return namedExactly === duplicateOf
          ? decide('review', duplicateOf, [{ rule: 'payment.duplicate', detail }], 'duplicate')
          : decide('review', best, [{ rule: 'score.ambiguous', detail }], 'ambiguous');
      }
      if (best.score >= config.autoPostThreshold && margin >= config.minimumMargin) {
        return decide('auto', best, [
          { rule: 'score.above-auto-post', detail: `margin ${margin.toFixed(3)}` },
        ]);
      }
      if (best.score >= config.autoPostThreshold) {
        const detail = `margin ${margin.toFixed(3)} < ${config.minimumMargin}`;
        return decide('review', best, [{ rule: 'score.ambiguous', detail }], 'ambiguous');
      }
      if (best.score >= config.reviewThreshold && duplicateOf === undefined) {
        return decide('review', best, [{ rule: 'score.below-auto-post' }], 'low_confidence');
      }
    }
    // A part-payment is only assumed for an order the payment names exactly.
    if (best.exactKey && best.amountFit === 'partial' && best.orderKeys.length === 1) {
      const rival = open.find(
        (assessment) =>
          assessment !== best &&
          assessment.amountFit === 'fit' &&
          assessment.score >= config.reviewThreshold,
      );
      if (rival === undefined) return decide('partial', best, [{ rule: 'amount.part-payment' }]);
      return decide(
        'review',
        best,
        [{ rule: 'score.ambiguous', detail: 'part-payment or full payment of another order' }],
        'ambiguous',
      );
    }
    const mismatched = best.amountFit === 'over' || best.amountFit === 'unconvertible';
    if (best.strongKey && mismatched && (duplicateOf === undefined || best.exactKey)) {
      return decide('review', best, [{ rule: 'amount.mismatch' }], 'mismatch');
    }
  }
  if (duplicateOf !== undefined) {
    return decide(
      'review',
      duplicateOf,
      [{ rule: 'payment.duplicate', detail: 'the order it names is reconciled already' }],
      'duplicate',
    );
  }
  if (best !== undefined && best.score >= config.reviewThreshold && best.amountFit === 'fit') {
    return decide('review', best, [{ rule: 'score.below-auto-post' }], 'low_confidence');
  }
  return decide('unmatched', undefined, [
    { rule: 'no-candidate', detail: `${candidates.length} candidates weighed` },
  ]);
}

function assessSingle(
  payment: PaymentFacts,
  candidate: OrderCandidate,
  config: ReconciliationConfig,
): CandidateAssessment {
  const { order } = candidate;
  const rules: RuleHit[] = [];
  let referenceScore = 0;
  let strongKey = false;
  let exactKey = false;
  if (candidate.transactionIds.includes(payment.transactionId)) {
    referenceScore = 1;
    strongKey = exactKey = true;
    rules.push({ rule: 'transactionId.exact', detail: payment.transactionId });
  } else if (payment.orderReference !== undefined && order.orderNumber !== undefined) {
    const wanted = normalizeReference(order.orderNumber);
    const tokens = referenceTokens(payment.orderReference);
    if (normalizeReference(payment.orderReference) === wanted) {
      referenceScore = 1;
      strongKey = exactKey = true;
      rules.push({ rule: 'reference.exact', detail: order.orderNumber });
    } else if (tokens.includes(wanted)) {
      referenceScore = 1;
      strongKey = exactKey = true;
      rules.push({ rule: 'reference.contains', detail: order.orderNumber });
    } else {
      const similarity = Math.max(
        referenceSimilarity(payment.orderReference, order.orderNumber),
        ...tokens.map((token) => referenceSimilarity(token, wanted)),
      );
      if (similarity >= config.minimumReferenceSimilarity) {
        referenceScore = similarity;
        strongKey = true;
        rules.push({
          rule: 'reference.fuzzy',
          detail: `similarity ${similarity.toFixed(3)} to ${order.orderNumber}`,
        });
      } else {
        rules.push({ rule: 'reference.none', detail: `similarity ${similarity.toFixed(3)}` });
      }
    }
  } else {
    rules.push({ rule: 'reference.missing' });
  }

  const due = new Decimal(order.total).minus(candidate.paidSoFar);
  const amount = compareAmount(payment, order.currency, due, config);
  rules.push(...amount.rules);
  const date = dateScore(payment.paidAt, order.placedAt, config);
  rules.push(date.rule);
  let score =
    REFERENCE_WEIGHT * referenceScore + AMOUNT_WEIGHT * amount.score + DATE_WEIGHT * date.score;
  if (payment.payerEmail !== undefined && payment.payerEmail === order.customerEmail) {
    score += PAYER_BONUS;
    rules.push({ rule: 'payer.email' });
  }
  if (candidate.heldPaymentKeys.length > 0) {
    rules.push({
      rule: 'order.part-paid',
      detail: `${candidate.paidSoFar} paid by ${candidate.heldPaymentKeys.join(', ')}`,
    });
  }
  return {
    orderKeys: [order.key],
    score: round4(Math.min(1, score)),
    amountFit: amount.fit,
    strongKey,
    exactKey,
    exact: exactKey && amount.exact && payment.currency === order.currency,
    closed: candidate.state === 'closed',
    rules,
    amountDifference: amount.difference,
    allocation: amount.allocation,
  };
}

/** A reference naming several orders ("SO-1, SO-2") paid in one amount. */
function assessMultiple(
  payment: PaymentFacts,
  candidates: readonly OrderCandidate[],
  config: ReconciliationConfig,
): CandidateAssessment | undefined {
  if (payment.orderReference === undefined) return undefined;
  const tokens = referenceTokens(payment.orderReference);
  if (tokens.length < 2) return undefined;
  const chosen = new Map<string, { candidate: OrderCandidate; similarity: number }>();
  for (const token of tokens) {
    let best: { candidate: OrderCandidate; similarity: number } | undefined;
    for (const candidate of candidates) {
      if (candidate.state === 'closed' || candidate.order.orderNumber === undefined) continue;
      const similarity = referenceSimilarity(token, candidate.order.orderNumber);
      if (
        similarity >= config.minimumReferenceSimilarity &&
        (best === undefined || similarity > best.similarity)
      ) {
        best = { candidate, similarity };
      }
    }
    if (best !== undefined) chosen.set(best.candidate.order.key, best);
  }
  const parts = [...chosen.values()];
  if (parts.length < 2) return undefined;
  const currency = parts[0]?.candidate.order.currency ?? '';
  if (parts.some((part) => part.candidate.order.currency !== currency)) return undefined;
  const due = parts.reduce(
    (sum, part) => sum.plus(part.candidate.order.total).minus(part.candidate.paidSoFar),
    new Decimal(0),
  );
  const amount = compareAmount(payment, currency, due, config);
  const similarity = Math.min(...parts.map((part) => part.similarity));
  const date = Math.min(
    ...parts.map((part) => dateScore(payment.paidAt, part.candidate.order.placedAt, config).score),
  );
  const score = REFERENCE_WEIGHT * similarity + AMOUNT_WEIGHT * amount.score + DATE_WEIGHT * date;
  return {
    orderKeys: parts.map((part) => part.candidate.order.key).sort(),
    score: round4(Math.min(1, score)),
    amountFit: amount.fit === 'partial' ? 'over' : amount.fit,
    strongKey: true,
    exactKey: false,
    exact: false,
    closed: false,
    rules: [
      {
        rule: 'orders.multiple',
        detail: `${parts.length} orders named, least similarity ${similarity.toFixed(3)}`,
      },
      ...amount.rules,
      { rule: date === 1 ? 'date.window' : 'date.outside' },
    ],
    amountDifference: amount.difference,
    allocation: amount.allocation,
  };
}

function compareAmount(
  payment: PaymentFacts,
  orderCurrency: string,
  due: Decimal,
  config: ReconciliationConfig,
): {
  fit: CandidateAssessment['amountFit'];
  exact: boolean;
  score: number;
  rules: RuleHit[];
  difference: string;
  allocation: PaymentAllocation;
} {
  const conversions = convert(payment, orderCurrency);
  const rounding = new Decimal(config.roundingTolerance);
  const unconvertible: PaymentAllocation = {
    paymentKey: payment.key,
    gross: '0',
    fee: '0',
    cash: '0',
  };
  if (conversions.length === 0) {
    return {
      fit: 'unconvertible',
      exact: false,
      score: 0,
      rules: [
        {
          rule: 'currency.unconvertible',
          detail: `${payment.currency} → ${orderCurrency}: no rate on the payment`,
        },
      ],
      difference: '0',
      allocation: unconvertible,
    };
  }
  // Reading the amount as net of its fee is only believed when that reading fits the balance;
  // otherwise the plain gross reading stands (a part-payment must not be credited its fee twice).
  let chosen: { conversion: Conversion; difference: Decimal } | undefined;
  for (const conversion of conversions) {
    const difference = conversion.gross.minus(due);
    const allowance =
      conversion.rate === undefined ? rounding : rounding.plus(due.times(config.fxTolerance));
    const fits = difference.abs().lte(allowance);
    if (chosen === undefined || (fits && difference.abs().lt(chosen.difference.abs())))
      chosen = { conversion, difference };
  }
  if (chosen === undefined) throw new Error('unreachable: conversions is not empty');
  const { conversion, difference } = chosen;
  const allocation: PaymentAllocation = {
    paymentKey: payment.key,
    gross: money(conversion.gross),
    fee: money(conversion.fee),
    cash: money(conversion.cash),
    fxRate: conversion.rate?.toString(),
  };
  const rules = [conversion.rule];
  const fxAllowance =
    conversion.rate === undefined ? new Decimal(0) : due.times(config.fxTolerance);
  const within = difference.abs().lte(rounding.plus(fxAllowance));
  const result = (
    fit: CandidateAssessment['amountFit'],
    score: number,
    rule: RuleHit,
    exact = false,
  ) => ({
    fit,
    exact,
    score,
    rules: [...rules, rule],
    difference: difference.toFixed(4),
    allocation,
  });
  if (difference.isZero() && conversion.rate === undefined && !conversion.netOfFee) {
    return result('fit', AMOUNT_SCORES.exact, { rule: 'amount.exact' }, true);
  }
  if (within) {
    const detail = `difference ${difference.toFixed(4)} ${orderCurrency} within ${rounding.plus(fxAllowance).toFixed(4)}`;
    if (conversion.rate !== undefined)
      return result('fit', AMOUNT_SCORES.fx, { rule: 'amount.fx', detail });
    if (conversion.netOfFee)
      return result('fit', AMOUNT_SCORES.netOfFee, { rule: 'amount.net-of-fee', detail });
    return result('fit', AMOUNT_SCORES.rounding, { rule: 'amount.rounding', detail });
  }
  const detail = `paid ${conversion.gross.toFixed(2)} ${orderCurrency}, due ${due.toFixed(2)}`;
  if (difference.isNegative()) return result('partial', 0, { rule: 'amount.short', detail });
  return result('over', 0, { rule: 'amount.over', detail });
}

/** Ways to read the payment's amount in the order currency: as gross, or as already net of its fee. */
function convert(payment: PaymentFacts, orderCurrency: string): Conversion[] {
  let rate: Decimal | undefined;
  let rateRule: RuleHit | undefined;
  if (payment.currency !== orderCurrency) {
    const fx = payment.fxRate;
    if (fx?.sourceCurrency === payment.currency && fx.targetCurrency === orderCurrency) {
      rate = new Decimal(fx.rate);
    } else if (fx?.sourceCurrency === orderCurrency && fx.targetCurrency === payment.currency) {
      rate = new Decimal(1).div(fx.rate);
    } else if (
      payment.settledAmount?.currency === orderCurrency &&
      new Decimal(payment.amount).gt(0)
    ) {
      rate = new Decimal(payment.settledAmount.amount).div(payment.amount);
    } else {
      return [];
    }
    rateRule = {
      rule: 'currency.converted',
      detail: `1 ${payment.currency} = ${rate.toSignificantDigits(10).toString()} ${orderCurrency}`,
    };
  }
  const factor = rate ?? new Decimal(1);
  const amount = new Decimal(payment.amount).times(factor);
  const fee = new Decimal(payment.fee).times(factor);
  const rule = rateRule ?? { rule: 'currency.same', detail: orderCurrency };
  const conversions: Conversion[] = [
    { rate, gross: amount, fee, cash: amount.minus(fee), netOfFee: false, rule },
  ];
  // The amount may already be net of the fee, unless the processor's own net amount says it is gross.
  const reportedNet = payment.netAmount === undefined ? undefined : new Decimal(payment.netAmount);
  const mayBeNet = reportedNet === undefined || reportedNet.eq(payment.amount);
  if (fee.gt(0) && mayBeNet) {
    conversions.push({ rate, gross: amount.plus(fee), fee, cash: amount, netOfFee: true, rule });
  }
  return conversions;
}

function dateScore(
  paidAt: string,
  placedAt: string,
  config: ReconciliationConfig,
): { score: number; rule: RuleHit } {
  const days = (Date.parse(paidAt) - Date.parse(placedAt)) / DAY_MS;
  const detail = `${days.toFixed(1)} days after the order`;
  if (days >= -config.dateWindowBeforeDays && days <= config.dateWindowDays)
    return { score: 1, rule: { rule: 'date.window', detail } };
  const outside = days < 0 ? -days - config.dateWindowBeforeDays : days - config.dateWindowDays;
  return {
    score: Math.max(0, 1 - outside / Math.max(1, config.dateWindowDays)),
    rule: { rule: 'date.outside', detail },
  };
}

function money(value: Decimal): string {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
