import Decimal from 'decimal.js';
import { type PayablesSource, type PayoutLine } from '@switchboard/payouts';
import { type ActionInvoker } from '../worker/action-invoker';

interface ClarityList {
  totalPages: number;
}
type ClarityRecord = Record<string, unknown>;

const PAGE_SIZE = 200;

/**
 * What Clarity says is owed (unpaid affiliate commissions and vendor balances), read through the
 * Clarity connector: one line per commission, owed to its account's CustomKey. The business
 * reference is `clarity-commission-<ID>`, the form the canonical-payout-to-clarity flow reads to
 * mark the commission Paid once its payout is.
 */
export class ClarityPayablesSource implements PayablesSource {
  constructor(
    private readonly actions: ActionInvoker,
    private readonly connectorId: string,
  ) {}

  async listPayables(): Promise<PayoutLine[]> {
    const accounts = new Map<number, string>();
    for (const account of await this.readAll('listAccounts', 'accounts', {}))
      accounts.set(
        Number(account['ID']),
        text(account['CustomKey']) ?? `clarity-account-${text(account['ID'])}`,
      );
    const commissions = await this.readAll('listCommissions', 'commissions', {
      statusKey: 'Unpaid',
    });
    return commissions.map((commission) => ({
      businessReference: `clarity-commission-${text(commission['ID'])}`,
      partyReference:
        accounts.get(Number(commission['AccountID'])) ??
        `clarity-account-${text(commission['AccountID'])}`,
      amount: new Decimal(text(commission['Amount']) ?? 'NaN').toFixed(2),
      currency: text(commission['CurrencyKey']) ?? '',
      description: `${text(commission['TypeKey']) ?? 'Commission'} ${text(commission['CustomKey']) ?? text(commission['ID'])}`,
    }));
  }

  private async readAll(
    action: string,
    key: string,
    input: Record<string, unknown>,
  ): Promise<ClarityRecord[]> {
    const records: ClarityRecord[] = [];
    for (let page = 1; ; page++) {
      const answer = (await this.actions.invoke(
        this.connectorId,
        action,
        { ...input, page, pageSize: PAGE_SIZE },
        {
          idempotencyKey: `payouts:payables:${action}:${page}`,
          correlationId: 'payouts:payables',
        },
      )) as ClarityList & Record<string, unknown>;
      records.push(...((answer[key] as ClarityRecord[] | undefined) ?? []));
      if (page >= answer.totalPages) return records;
    }
  }
}

/** A scalar field as text; undefined when absent (Clarity sends numbers and strings). */
function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
