import { Inject, Injectable } from '@nestjs/common';
import { FxRates } from '../common/fx-rates';
import { SandboxClock } from '../common/sandbox-clock';
import { accountFullName, CHART_OF_ACCOUNTS, ERP_COMPANY } from './erp-chart-of-accounts';
import { type FrappeDoc, frappeDatetime } from './frappe-doc';

/** The API user every token call runs as. */
export const ERP_API_USER = 'sandbox-integration@example.com';

/** Doctypes the simulator serves, with the parent fields a list query may name. */
export const ERP_DOCTYPE_FIELDS: Record<string, readonly string[]> = {
  Company: [
    'company_name',
    'abbr',
    'default_currency',
    'country',
    'cost_center',
    'default_receivable_account',
    'default_payable_account',
    'exchange_gain_loss_account',
  ],
  Account: [
    'account_name',
    'account_number',
    'company',
    'parent_account',
    'root_type',
    'report_type',
    'account_type',
    'account_currency',
    'is_group',
    'disabled',
    'freeze_account',
  ],
  'Cost Center': ['cost_center_name', 'company', 'parent_cost_center', 'is_group'],
  'Currency Exchange': [
    'date',
    'from_currency',
    'to_currency',
    'exchange_rate',
    'for_buying',
    'for_selling',
  ],
  'Custom Field': ['dt', 'fieldname', 'label', 'fieldtype', 'unique', 'insert_after'],
  'Journal Entry': [
    'title',
    'voucher_type',
    'naming_series',
    'posting_date',
    'company',
    'cheque_no',
    'cheque_date',
    'user_remark',
    'remark',
    'multi_currency',
    'total_debit',
    'total_credit',
    'difference',
    'is_opening',
    'custom_sb_reference',
    'amended_from',
  ],
  'GL Entry': [
    'posting_date',
    'account',
    'party_type',
    'party',
    'cost_center',
    'debit',
    'credit',
    'debit_in_account_currency',
    'credit_in_account_currency',
    'account_currency',
    'against',
    'voucher_type',
    'voucher_no',
    'is_cancelled',
    'company',
    'remarks',
  ],
};

/** Fields every document has. */
export const STANDARD_FIELDS = [
  'name',
  'owner',
  'creation',
  'modified',
  'modified_by',
  'docstatus',
  'idx',
] as const;

/** The ERP's documents by doctype, seeded with a company, its chart of accounts and exchange rates. */
@Injectable()
export class ErpStoreService {
  private docs = new Map<string, Map<string, FrappeDoc>>();
  private insertOrder = 0;
  private readonly order = new WeakMap<FrappeDoc, number>();

  constructor(
    @Inject(SandboxClock) private readonly clock: SandboxClock,
    @Inject(FxRates) private readonly fx: FxRates,
  ) {
    this.reset();
  }

  /** Back to the seeded company with no journal entries. */
  reset(): void {
    this.docs = new Map(
      Object.keys(ERP_DOCTYPE_FIELDS).map((doctype) => [doctype, new Map<string, FrappeDoc>()]),
    );
    this.insertOrder = 0;
    this.seed();
  }

  /** True for doctypes the simulator knows. */
  knows(doctype: string): boolean {
    return this.docs.has(doctype);
  }

  /** A document, or undefined. */
  get(doctype: string, name: string): FrappeDoc | undefined {
    return this.docs.get(doctype)?.get(name);
  }

  /** Every document of a doctype, in insertion order. */
  all(doctype: string): FrappeDoc[] {
    return [...(this.docs.get(doctype)?.values() ?? [])];
  }

  /** Position of a document in insertion order (the tie-break for equal `modified`). */
  insertionIndex(doc: FrappeDoc): number {
    return this.order.get(doc) ?? 0;
  }

  /** Stores a document, stamping the standard fields when it is new. */
  put(doc: FrappeDoc): FrappeDoc {
    const table = this.docs.get(doc.doctype);
    if (!table) throw new Error(`unknown doctype ${doc.doctype}`);
    if (!this.order.has(doc)) this.order.set(doc, (this.insertOrder += 1));
    table.set(doc.name, doc);
    return doc;
  }

  /** Removes a document. */
  remove(doctype: string, name: string): void {
    this.docs.get(doctype)?.delete(name);
  }

  /** The standard fields of a new document, stamped now. */
  stamp(): Record<(typeof STANDARD_FIELDS)[number], unknown> {
    const now = frappeDatetime(this.clock.nowMs());
    return {
      name: '',
      owner: ERP_API_USER,
      creation: now,
      modified: now,
      modified_by: ERP_API_USER,
      docstatus: 0,
      idx: 0,
    };
  }

  private seed(): void {
    const { name: company, abbr, currency } = ERP_COMPANY;
    this.put({
      ...this.stamp(),
      doctype: 'Company',
      name: company,
      company_name: company,
      abbr,
      default_currency: currency,
      country: 'United States',
      cost_center: `Main - ${abbr}`,
      default_receivable_account: accountFullName('Debtors'),
      default_payable_account: accountFullName('Creditors'),
      exchange_gain_loss_account: accountFullName('Exchange Gain/Loss'),
    });
    this.put({
      ...this.stamp(),
      doctype: 'Cost Center',
      name: `${company} - ${abbr}`,
      cost_center_name: company,
      company,
      is_group: 1,
    });
    this.put({
      ...this.stamp(),
      doctype: 'Cost Center',
      name: `Main - ${abbr}`,
      cost_center_name: 'Main',
      company,
      parent_cost_center: `${company} - ${abbr}`,
      is_group: 0,
    });
    for (const account of CHART_OF_ACCOUNTS) {
      this.put({
        ...this.stamp(),
        doctype: 'Account',
        name: accountFullName(account.account_name),
        account_name: account.account_name,
        company,
        parent_account: account.parent === undefined ? null : accountFullName(account.parent),
        root_type: account.root_type,
        report_type:
          account.root_type === 'Income' || account.root_type === 'Expense'
            ? 'Profit and Loss'
            : 'Balance Sheet',
        account_type: account.account_type ?? null,
        account_currency: account.account_currency ?? currency,
        is_group: account.is_group,
        disabled: 0,
        freeze_account: 'No',
      });
    }
    for (const [code] of Object.entries(this.fx.list())) {
      if (code === currency) continue;
      const date = '2000-01-01';
      this.put({
        ...this.stamp(),
        doctype: 'Currency Exchange',
        name: `${date}-${code}-${currency}-Selling-Buying`,
        date,
        from_currency: code,
        to_currency: currency,
        exchange_rate: Number(this.fx.rate(code, currency).toString()),
        for_buying: 1,
        for_selling: 1,
      });
    }
    this.put({
      ...this.stamp(),
      doctype: 'Custom Field',
      name: 'Journal Entry-custom_sb_reference',
      dt: 'Journal Entry',
      fieldname: 'custom_sb_reference',
      label: 'Switchboard Reference',
      fieldtype: 'Data',
      unique: 1,
      insert_after: 'cheque_date',
    });
  }
}
