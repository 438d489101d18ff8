import Decimal from 'decimal.js';
import { type PayablesSource } from '../payables-source.port';
import { type PayoutLine } from '../payout-line';

type WireObject = Record<string, unknown>;

/**
 * Unpaid Clarity commissions and vendor balances, read over HTTP from the sandbox (the runtime's
 * source will use the Clarity connector): one line per commission, owed to the account's CustomKey.
 */
export class SandboxClarityPayables implements PayablesSource {
  constructor(private readonly options: { baseUrl: string; apiKey: string }) {}

  async listPayables(): Promise<PayoutLine[]> {
    const accounts = new Map<number, string>();
    for (const account of await this.readAll('/Accounts/Accounts'))
      accounts.set(Number(account.ID), String(account.CustomKey));
    const commissions = await this.readAll('/Accounts/Commissions?StatusKey=Unpaid');
    return commissions.map((commission) => ({
      businessReference: String(commission.CustomKey),
      partyReference:
        accounts.get(Number(commission.AccountID)) ??
        `clarity-account-${String(commission.AccountID)}`,
      amount: new Decimal(String(commission.Amount)).toFixed(2),
      currency: String(commission.CurrencyKey),
      description: `${String(commission.TypeKey)} ${String(commission.CustomKey)} (order ${String(commission.SalesOrderID)})`,
    }));
  }

  private async readAll(path: string): Promise<WireObject[]> {
    const results: WireObject[] = [];
    for (let page = 1; ; page++) {
      const separator = path.includes('?') ? '&' : '?';
      const response = await fetch(
        `${this.options.baseUrl}${path}${separator}Paging.StartIndex=${page}&Paging.Size=100`,
        {
          headers: { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json' },
        },
      );
      if (!response.ok)
        throw new Error(`Clarity GET ${path} → ${response.status}: ${await response.text()}`);
      const body = (await response.json()) as { Results?: WireObject[]; TotalPages?: number };
      results.push(...(body.Results ?? []));
      if (page >= (body.TotalPages ?? 1)) return results;
    }
  }
}
