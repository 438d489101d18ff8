import { FxConverter, FxRateMissingError } from '@switchboard/fx';
import { isBalanced, type JournalEntryPlan } from '@switchboard/reconciliation';
import { inBooksCurrency } from './books-currency';

const rates = new FxConverter({
  findValid: (from: string, to: string) =>
    Promise.resolve(from === 'EUR' && to === 'USD' ? { rate: '1.0834' } : undefined),
} as never);

const plan: JournalEntryPlan = {
  reference: 'revenue:clarity:7',
  kind: 'revenue',
  postingDate: '2026-11-20',
  currency: 'EUR',
  remark: 'Orders SO-7 paid through Payoneer (TX-1)',
  lines: [
    { account: '@payoneerClearing', debit: '33.33', credit: '0' },
    { account: '@payoneerClearing', debit: '33.33', credit: '0' },
    { account: '@revenue', debit: '0', credit: '66.66' },
  ],
  sourceRecords: [],
};

const lines = (entry: JournalEntryPlan): string[][] =>
  entry.lines.map((line) => [line.account, line.debit, line.credit]);

describe('inBooksCurrency', () => {
  it('leaves a plan in the books currency as it is', async () => {
    const usd = { ...plan, currency: 'USD' };
    await expect(inBooksCurrency(usd, 'USD', rates, '@fxGainLoss')).resolves.toBe(usd);
  });

  it('converts each account once with the rate of the posting date', async () => {
    const converted = await inBooksCurrency(plan, 'USD', rates, '@fxGainLoss');
    expect(converted.currency).toBe('USD');
    expect(converted.remark).toBe(
      'Orders SO-7 paid through Payoneer (TX-1) (EUR at 1.0834 USD on 2026-11-20)',
    );
    // 66.66 EUR → 72.219444 → 72.22 USD on both sides.
    expect(lines(converted)).toEqual([
      ['@payoneerClearing', '72.22', '0'],
      ['@revenue', '0', '72.22'],
    ]);
  });

  it('books what rounding leaves between debits and credits on the exchange difference account', async () => {
    const small = (fx: boolean): JournalEntryPlan => ({
      ...plan,
      lines: [
        { account: '@payoneerClearing', debit: '0.05', credit: '0' },
        { account: fx ? '@fxGainLoss' : '@feesExpense', debit: '0.05', credit: '0' },
        { account: '@revenue', debit: '0', credit: '0.10' },
      ],
    });
    // 0.05 → 0.05 and 0.05 → 0.05 debited, 0.10 → 0.11 credited: a cent short.
    const added = await inBooksCurrency(small(false), 'USD', rates, '@fxGainLoss');
    expect(isBalanced(added)).toBe(true);
    expect(lines(added).at(-1)).toEqual(['@fxGainLoss', '0.01', '0']);
    const joined = await inBooksCurrency(small(true), 'USD', rates, '@fxGainLoss');
    expect(isBalanced(joined)).toBe(true);
    expect(lines(joined)).toEqual([
      ['@payoneerClearing', '0.05', '0'],
      ['@fxGainLoss', '0.06', '0'],
      ['@revenue', '0', '0.11'],
    ]);
  });

  it('refuses to guess a rate that is not configured', async () => {
    await expect(
      inBooksCurrency({ ...plan, currency: 'GBP' }, 'USD', rates, '@fxGainLoss'),
    ).rejects.toBeInstanceOf(FxRateMissingError);
  });
});
