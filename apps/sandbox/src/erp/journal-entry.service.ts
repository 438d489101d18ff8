import Decimal from 'decimal.js';
import { Inject, Injectable } from '@nestjs/common';
import { displayText } from '../common/display-text';
import { parseAmount } from '../common/money';
import { RandomSource } from '../common/random-source';
import { SandboxClock } from '../common/sandbox-clock';
import { ERP_COMPANY } from './erp-chart-of-accounts';
import { ErpStoreService } from './erp-store.service';
import { FrappeApiError } from './frappe-api.error';
import { type FrappeDoc, frappeDatetime } from './frappe-doc';

const DOCTYPE = 'Journal Entry';
const VOUCHER_TYPES = [
  'Journal Entry',
  'Inter Company Journal Entry',
  'Bank Entry',
  'Cash Entry',
  'Credit Card Entry',
  'Debit Note',
  'Credit Note',
  'Contra Entry',
  'Excise Entry',
  'Write Off Entry',
  'Opening Entry',
  'Depreciation Entry',
  'Exchange Rate Revaluation',
  'Exchange Gain Or Loss',
  'Deferred Revenue',
  'Deferred Expense',
  'Reversal Of ITC',
];
const EDITABLE_FIELDS = [
  'voucher_type',
  'posting_date',
  'company',
  'cheque_no',
  'cheque_date',
  'user_remark',
  'multi_currency',
  'is_opening',
  'custom_sb_reference',
  'title',
  'accounts',
];
const ROW_FIELDS = [
  'account',
  'debit_in_account_currency',
  'credit_in_account_currency',
  'exchange_rate',
  'party_type',
  'party',
  'cost_center',
  'project',
  'reference_type',
  'reference_name',
  'user_remark',
  'is_advance',
  'against_account',
];
const DOCSTATUS_NAMES: Record<number, string> = { 0: 'Draft', 1: 'Submitted', 2: 'Cancelled' };

/**
 * ERPNext's Journal Entry controller, reduced to what an integration meets: link and mandatory
 * checks, balance and row rules, multi-currency, naming, the docstatus state machine, GL entries,
 * and a unique `custom_sb_reference` for idempotency.
 */
@Injectable()
export class JournalEntryService {
  private seriesCounters = new Map<string, number>();
  private glCounter = 0;

  constructor(
    @Inject(ErpStoreService) private readonly store: ErpStoreService,
    @Inject(SandboxClock) private readonly clock: SandboxClock,
    @Inject(RandomSource) private readonly random: RandomSource,
  ) {}

  /** Forgets the naming series (the store resets the documents). */
  reset(): void {
    this.seriesCounters.clear();
    this.glCounter = 0;
  }

  /** `POST /api/resource/Journal Entry`: validates and inserts; `docstatus: 1` also submits. */
  insert(body: Record<string, unknown>): FrappeDoc {
    const docstatus = Number(body.docstatus ?? 0);
    if (docstatus === 2) throw transitionError(0, 2);
    if (docstatus !== 0 && docstatus !== 1)
      throw new FrappeApiError(
        'ValidationError',
        `docstatus must be 0 or 1, got ${displayText(body.docstatus)}`,
      );
    const doc: FrappeDoc = {
      ...this.store.stamp(),
      doctype: DOCTYPE,
      name: `new-journal-entry-${this.random.stream('erp-temp-names').alphanumeric(6)}`,
      voucher_type: 'Journal Entry',
      naming_series: 'ACC-JV-.YYYY.-',
      is_opening: 'No',
      multi_currency: 0,
    };
    this.applyFields(doc, body);
    this.validate(doc);
    this.assertUniqueReference(doc);
    // Naming comes after validation in Frappe, so a refused insert consumes no number.
    doc.name = this.nextName();
    this.renameRows(doc);
    if (docstatus === 1) this.submit(doc);
    return this.store.put(doc);
  }

  /** `GET /api/resource/Journal Entry/{name}`. */
  get(name: string): FrappeDoc {
    const doc = this.store.get(DOCTYPE, name);
    if (!doc) throw new FrappeApiError('DoesNotExistError', `${DOCTYPE} ${name} not found`);
    return doc;
  }

  /** `PUT /api/resource/Journal Entry/{name}`: edits a draft, or moves docstatus 0 → 1 → 2. */
  update(name: string, body: Record<string, unknown>): FrappeDoc {
    const doc = this.get(name);
    if (body.modified !== undefined && body.modified !== doc.modified) {
      throw new FrappeApiError(
        'TimestampMismatchError',
        `Error: Document has been modified after you have opened it (${displayText(doc.modified)}, ${displayText(body.modified)}). Please refresh to get the latest document.`,
      );
    }
    const current = Number(doc.docstatus);
    const target = body.docstatus === undefined ? current : Number(body.docstatus);
    if (current === 2)
      throw new FrappeApiError('ValidationError', 'Cannot edit cancelled document');
    if (![0, 1, 2].includes(target) || target < current || (current === 0 && target === 2))
      throw transitionError(current, target);
    if (current === 1) {
      const changed = EDITABLE_FIELDS.find(
        (field) => field in body && JSON.stringify(body[field]) !== JSON.stringify(doc[field]),
      );
      if (changed !== undefined)
        throw new FrappeApiError(
          'UpdateAfterSubmitError',
          `Not allowed to change ${changed} after submission`,
        );
      if (target === 2) this.cancel(doc);
      return doc;
    }
    const draft = structuredClone(doc);
    this.applyFields(draft, body);
    this.validate(draft);
    this.assertUniqueReference(draft);
    this.renameRows(draft);
    if (target === 1) this.submit(draft);
    draft.modified = frappeDatetime(this.clock.nowMs());
    Object.assign(doc, draft);
    return doc;
  }

  /** `POST /api/method/frappe.client.submit` with the whole document, which must carry the current `modified`. */
  submitByDoc(docInput: Record<string, unknown>): FrappeDoc {
    const name = typeof docInput.name === 'string' ? docInput.name : '';
    const doc = this.get(name);
    if (docInput.modified !== doc.modified) {
      throw new FrappeApiError(
        'TimestampMismatchError',
        `Error: Document has been modified after you have opened it (${displayText(doc.modified)}, ${displayText(docInput.modified)}). Please refresh to get the latest document.`,
      );
    }
    return this.update(name, { docstatus: 1 });
  }

  /** `POST /api/method/frappe.client.cancel`. */
  cancelByName(name: string): void {
    const doc = this.get(name);
    if (Number(doc.docstatus) !== 1) throw transitionError(Number(doc.docstatus), 2);
    this.cancel(doc);
  }

  /** `DELETE /api/resource/Journal Entry/{name}`: drafts and cancelled entries only. */
  delete(name: string): void {
    const doc = this.get(name);
    if (Number(doc.docstatus) === 1) {
      throw new FrappeApiError(
        'ValidationError',
        `${DOCTYPE} ${name}: Submitted Record cannot be deleted. You must Cancel it first.`,
      );
    }
    this.store.remove(DOCTYPE, name);
  }

  private applyFields(doc: FrappeDoc, body: Record<string, unknown>): void {
    for (const field of EDITABLE_FIELDS) {
      if (!(field in body) || field === 'accounts') continue;
      doc[field] = body[field];
    }
    if ('accounts' in body) {
      if (!Array.isArray(body.accounts))
        throw new FrappeApiError(
          'ValidationError',
          'accounts must be a list of Journal Entry Account rows',
        );
      doc.accounts = body.accounts.map((raw: unknown, index) => {
        const input =
          raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
        const row: Record<string, unknown> = {
          doctype: 'Journal Entry Account',
          idx: index + 1,
          parentfield: 'accounts',
          parenttype: DOCTYPE,
        };
        for (const field of ROW_FIELDS)
          if (input[field] !== undefined && input[field] !== null) row[field] = input[field];
        return row;
      });
    }
  }

  private validate(doc: FrappeDoc): void {
    const rows = (Array.isArray(doc.accounts) ? doc.accounts : []) as Record<string, unknown>[];
    const company = typeof doc.company === 'string' ? doc.company : undefined;
    // Link validation comes first in Frappe's insert.
    if (company !== undefined && !this.store.get('Company', company))
      throw linkError(`Could not find Company: ${company}`);
    rows.forEach((row, index) => {
      const account = typeof row.account === 'string' ? row.account : undefined;
      if (account !== undefined && !this.store.get('Account', account))
        throw linkError(`Could not find Row #${index + 1}: Account: ${account}`);
      const costCenter = typeof row.cost_center === 'string' ? row.cost_center : undefined;
      if (costCenter !== undefined && !this.store.get('Cost Center', costCenter))
        throw linkError(`Could not find Row #${index + 1}: Cost Center: ${costCenter}`);
    });
    if (typeof doc.voucher_type !== 'string' || !VOUCHER_TYPES.includes(doc.voucher_type)) {
      throw new FrappeApiError(
        'ValidationError',
        `Voucher Type cannot be "${displayText(doc.voucher_type)}". It should be one of ${VOUCHER_TYPES.map((type) => `"${type}"`).join(', ')}`,
      );
    }
    if (rows.length === 0)
      throw new FrappeApiError('ValidationError', 'Accounts table cannot be blank.');
    const missing = [
      company === undefined || company === '' ? 'company' : undefined,
      !doc.posting_date ? 'posting_date' : undefined,
    ].filter(Boolean);
    rows.forEach((row, index) => {
      if (typeof row.account !== 'string' || row.account === '')
        missing.push(`accounts[${index}].account`);
    });
    if (missing.length > 0)
      throw new FrappeApiError(
        'MandatoryError',
        `[${DOCTYPE}, ${doc.name}]: ${missing.join(', ')}`,
        417,
        'Missing Fields',
      );
    if (
      typeof doc.posting_date !== 'string' ||
      !/^\d{4}-\d{2}-\d{2}$/.test(doc.posting_date) ||
      Number.isNaN(Date.parse(doc.posting_date))
    ) {
      throw new FrappeApiError(
        'ValidationError',
        `Posting Date: "${displayText(doc.posting_date)}" is not a valid date (use YYYY-MM-DD)`,
      );
    }

    const defaultCostCenter = displayText(
      this.store.get('Company', ERP_COMPANY.name)?.cost_center ?? '',
    );
    let multiCurrencyNeeded = false;
    rows.forEach((row) => {
      const account = this.store.get('Account', displayText(row.account));
      row.debit_in_account_currency = round2(
        parseAmount(row.debit_in_account_currency) ?? new Decimal(0),
      ).toNumber();
      row.credit_in_account_currency = round2(
        parseAmount(row.credit_in_account_currency) ?? new Decimal(0),
      ).toNumber();
      row.account_currency = account?.account_currency ?? ERP_COMPANY.currency;
      row.account_type = account?.account_type ?? undefined;
      row.cost_center ??= defaultCostCenter;
      if (row.account_currency !== ERP_COMPANY.currency) multiCurrencyNeeded = true;
    });
    rows.forEach((row) => {
      if (row.debit_in_account_currency !== 0 && row.credit_in_account_currency !== 0) {
        throw new FrappeApiError(
          'ValidationError',
          'You cannot credit and debit same account at the same time',
        );
      }
    });
    rows.forEach((row, index) => {
      if (row.debit_in_account_currency === 0 && row.credit_in_account_currency === 0) {
        throw new FrappeApiError(
          'ValidationError',
          `Row ${index + 1}: Both Debit and Credit values cannot be zero`,
        );
      }
      if (
        (row.account_type === 'Receivable' || row.account_type === 'Payable') &&
        (!row.party_type || !row.party)
      ) {
        throw new FrappeApiError(
          'ValidationError',
          `Row ${index + 1}: Party Type and Party is required for Receivable / Payable account ${displayText(row.account)}`,
        );
      }
    });
    if (multiCurrencyNeeded && !Number(doc.multi_currency)) {
      throw new FrappeApiError(
        'ValidationError',
        'Please check Multi Currency option to allow accounts with other currency',
      );
    }
    doc.multi_currency = multiCurrencyNeeded || Number(doc.multi_currency) ? 1 : 0;
    let totalDebit = new Decimal(0);
    let totalCredit = new Decimal(0);
    rows.forEach((row, index) => {
      let rate = parseAmount(row.exchange_rate);
      if (row.account_currency === ERP_COMPANY.currency) rate = new Decimal(1);
      else if (rate === undefined || rate.isZero() || rate.eq(1))
        rate = this.exchangeRate(displayText(row.account_currency), displayText(doc.posting_date));
      if (rate === undefined)
        throw new FrappeApiError('ValidationError', `Row ${index + 1}: Exchange Rate is mandatory`);
      row.exchange_rate = rate.toNumber();
      const debit = round2(new Decimal(Number(row.debit_in_account_currency)).mul(rate));
      const credit = round2(new Decimal(Number(row.credit_in_account_currency)).mul(rate));
      row.debit = debit.toNumber();
      row.credit = credit.toNumber();
      totalDebit = totalDebit.plus(debit);
      totalCredit = totalCredit.plus(credit);
    });
    doc.total_debit = totalDebit.toNumber();
    doc.total_credit = totalCredit.toNumber();
    doc.difference = totalDebit.minus(totalCredit).toNumber();
    if (!totalDebit.eq(totalCredit)) {
      throw new FrappeApiError(
        'ValidationError',
        `Total Debit must be equal to Total Credit. The difference is ${pythonFloat(totalDebit.minus(totalCredit).toNumber())}`,
      );
    }
    if (doc.voucher_type === 'Bank Entry' && (!doc.cheque_no || !doc.cheque_date)) {
      throw new FrappeApiError(
        'ValidationError',
        'Reference No & Reference Date is required for Bank Entry',
      );
    }
    if (doc.cheque_no && !doc.cheque_date)
      throw new FrappeApiError(
        'MandatoryError',
        'Please enter Reference date',
        417,
        'Missing Fields',
      );
    doc.title ??= rows[0]?.account;
    doc.remark =
      [
        doc.user_remark ? `Note: ${displayText(doc.user_remark)}` : undefined,
        doc.cheque_no
          ? `Reference #${displayText(doc.cheque_no)} dated ${displayText(doc.cheque_date)}`
          : undefined,
      ]
        .filter(Boolean)
        .join('\n') || 'No Remarks';
  }

  private assertUniqueReference(doc: FrappeDoc): void {
    const reference = doc.custom_sb_reference;
    if (reference === undefined || reference === null || reference === '') return;
    // A unique DB index counts every row, cancelled ones included.
    const clash = this.store
      .all(DOCTYPE)
      .find((other) => other.name !== doc.name && other.custom_sb_reference === reference);
    if (clash)
      throw new FrappeApiError(
        'UniqueValidationError',
        `Switchboard Reference must be unique (${displayText(reference)} is used by ${clash.name})`,
        417,
        'Duplicate Entry',
      );
  }

  private submit(doc: FrappeDoc): void {
    const rows = doc.accounts as Record<string, unknown>[];
    for (const row of rows) {
      const account = this.store.get('Account', displayText(row.account));
      if (Number(account?.is_group) === 1) {
        throw new FrappeApiError(
          'ValidationError',
          `${DOCTYPE} ${doc.name}: Account ${displayText(row.account)} is a Group Account and group accounts cannot be used in transactions`,
        );
      }
    }
    doc.docstatus = 1;
    for (const row of rows) row.docstatus = 1;
    const debitAccounts = rows
      .filter((row) => Number(row.debit) > 0)
      .map((row) => displayText(row.account));
    const creditAccounts = rows
      .filter((row) => Number(row.credit) > 0)
      .map((row) => displayText(row.account));
    for (const row of rows) {
      this.postGl(doc, {
        account: row.account,
        party_type: row.party_type,
        party: row.party,
        cost_center: row.cost_center,
        debit: row.debit,
        credit: row.credit,
        debit_in_account_currency: row.debit_in_account_currency,
        credit_in_account_currency: row.credit_in_account_currency,
        account_currency: row.account_currency,
        against: (Number(row.debit) > 0 ? creditAccounts : debitAccounts).join(', '),
      });
    }
  }

  private cancel(doc: FrappeDoc): void {
    doc.docstatus = 2;
    for (const row of doc.accounts as Record<string, unknown>[]) row.docstatus = 2;
    doc.modified = frappeDatetime(this.clock.nowMs());
    // ERPNext marks the originals cancelled and posts mirror entries, so balances net to zero.
    const originals = this.store
      .all('GL Entry')
      .filter((entry) => entry.voucher_no === doc.name && Number(entry.is_cancelled) === 0);
    for (const entry of originals) {
      entry.is_cancelled = 1;
      this.postGl(doc, {
        account: entry.account,
        party_type: entry.party_type,
        party: entry.party,
        cost_center: entry.cost_center,
        debit: entry.credit,
        credit: entry.debit,
        debit_in_account_currency: entry.credit_in_account_currency,
        credit_in_account_currency: entry.debit_in_account_currency,
        account_currency: entry.account_currency,
        against: entry.against,
        is_cancelled: 1,
      });
    }
  }

  private postGl(doc: FrappeDoc, fields: Record<string, unknown>): void {
    this.glCounter += 1;
    this.store.put({
      ...this.store.stamp(),
      doctype: 'GL Entry',
      name: `ACC-GLE-${displayText(doc.posting_date).slice(0, 4)}-${String(this.glCounter).padStart(5, '0')}`,
      docstatus: 1,
      posting_date: doc.posting_date,
      voucher_type: DOCTYPE,
      voucher_no: doc.name,
      company: doc.company,
      remarks: doc.remark,
      is_cancelled: 0,
      ...fields,
    });
  }

  private exchangeRate(currency: string, postingDate: string): Decimal | undefined {
    const candidates = this.store
      .all('Currency Exchange')
      .filter(
        (rate) =>
          rate.from_currency === currency &&
          rate.to_currency === ERP_COMPANY.currency &&
          displayText(rate.date) <= postingDate,
      )
      .sort((a, b) => displayText(b.date).localeCompare(displayText(a.date)));
    const latest = candidates[0];
    return latest === undefined ? undefined : new Decimal(displayText(latest.exchange_rate));
  }

  private nextName(): string {
    const year = this.clock.now().toISOString().slice(0, 4);
    const next = (this.seriesCounters.get(year) ?? 0) + 1;
    this.seriesCounters.set(year, next);
    return `ACC-JV-${year}-${String(next).padStart(5, '0')}`;
  }

  private renameRows(doc: FrappeDoc): void {
    for (const row of doc.accounts as Record<string, unknown>[]) {
      row.parent = doc.name;
      row.name ??= this.random.stream('erp-row-names').alphanumeric(10);
      row.docstatus ??= 0;
      row.owner ??= doc.owner;
      row.creation ??= doc.creation;
      row.modified = doc.modified;
      row.modified_by = doc.modified_by;
    }
  }
}

function round2(value: Decimal): Decimal {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

// ERPNext formats the difference with Python's str(float): 1.0, not 1.
function pythonFloat(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : displayText(value);
}

function transitionError(from: number, to: number): FrappeApiError {
  return new FrappeApiError(
    'DocstatusTransitionError',
    `Cannot change docstatus from ${from} (${DOCSTATUS_NAMES[from] ?? '?'}) to ${to} (${DOCSTATUS_NAMES[to] ?? '?'})`,
  );
}

function linkError(message: string): FrappeApiError {
  return new FrappeApiError('LinkValidationError', message);
}
