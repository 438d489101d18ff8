import { Decimal } from 'decimal.js';
import { type FxConverter } from '@switchboard/fx';
import { type JournalEntryLine, type JournalEntryPlan } from '@switchboard/reconciliation';

/**
 * The plan in the books' currency, as the fee flow and the ERP connector's accounts expect: every
 * account's amount converted with the configured rate valid on the posting date and rounded half
 * up to cents; what per-line rounding leaves between debits and credits goes to the exchange difference
 * account, so the entry still balances. A missing rate throws FxRateMissingError (never a guess).
 */
export async function inBooksCurrency(
  plan: JournalEntryPlan,
  booksCurrency: string,
  fx: FxConverter,
  fxDifferenceAccount: string,
): Promise<JournalEntryPlan> {
  if (plan.currency === booksCurrency) return plan;
  const { rate } = await fx.convert({
    amount: '1',
    from: plan.currency,
    to: booksCurrency,
    date: plan.postingDate,
  });
  // Net per account first (debit positive), then converted: one rounding per account, and the
  // rounding difference can join an existing FX line.
  const net = new Map<string, { line: JournalEntryLine; amount: Decimal }>();
  for (const line of plan.lines) {
    const amount = new Decimal(line.debit).minus(line.credit);
    const seen = net.get(line.account);
    if (seen === undefined) net.set(line.account, { line, amount });
    else seen.amount = seen.amount.plus(amount);
  }
  for (const entry of net.values()) {
    entry.amount = entry.amount.times(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  }
  const imbalance = [...net.values()].reduce(
    (sum, entry) => sum.plus(entry.amount),
    new Decimal(0),
  );
  if (!imbalance.isZero()) {
    const fxLine = net.get(fxDifferenceAccount);
    if (fxLine === undefined) {
      net.set(fxDifferenceAccount, {
        line: {
          account: fxDifferenceAccount,
          debit: '0',
          credit: '0',
          remark: 'FX conversion and rounding',
        },
        amount: imbalance.negated(),
      });
    } else fxLine.amount = fxLine.amount.minus(imbalance);
  }
  const lines = [...net.values()]
    .filter((entry) => !entry.amount.isZero())
    .map(({ line, amount }) => ({
      ...line,
      debit: amount.gt(0) ? amount.toFixed(2) : '0',
      credit: amount.lt(0) ? amount.negated().toFixed(2) : '0',
    }));
  return {
    ...plan,
    currency: booksCurrency,
    remark: `${plan.remark ?? plan.reference} (${plan.currency} at ${rate} ${booksCurrency} on ${plan.postingDate})`,
    lines,
  };
}
