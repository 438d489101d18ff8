import { type DataSource, type Repository } from 'typeorm';
import { runSql } from '../database/run-sql';
import { PersistenceError, PersistenceInputError } from '../persistence.errors';
import { FxRate } from './fx-rate.entity';

/** A rate to add to the table. */
export interface NewFxRate {
  fromCurrency: string;
  toCurrency: string;
  /** Positive decimal string, e.g. "1.0834". */
  rate: string;
  /** YYYY-MM-DD. */
  validFrom: string;
  /** YYYY-MM-DD; open-ended when absent. */
  validTo?: string | null;
}

interface FxRateRow {
  id: string;
  from_currency: string;
  to_currency: string;
  rate: string;
  valid_from: string;
  valid_to: string | null;
  created_at: Date;
}

const CURRENCY = /^[A-Z]{3}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^\d{1,18}(\.\d{1,12})?$/;
// Dates as text: node-pg would turn a `date` into a local-midnight Date and shift the day.
const COLUMNS = `id::text AS id, from_currency, to_currency, rate::text AS rate,
  to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to, created_at`;

/** The configured FX rate table, with validity dates. */
export class FxRateRepository {
  private readonly rates: Repository<FxRate>;

  constructor(private readonly dataSource: DataSource) {
    this.rates = dataSource.getRepository(FxRate);
  }

  /** Adds a rate; a bad currency, rate or date is a PersistenceInputError naming the field. */
  async add(rate: NewFxRate): Promise<FxRate> {
    checkRate(rate);
    const { rows } = await runSql<FxRateRow>(
      this.dataSource,
      `INSERT INTO fx_rates (from_currency, to_currency, rate, valid_from, valid_to)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [rate.fromCurrency, rate.toCurrency, rate.rate, rate.validFrom, rate.validTo ?? null],
    );
    const row = rows[0];
    if (row === undefined) throw new PersistenceError('fx_rates insert returned no row');
    return this.toRate(row);
  }

  /** The rate for the pair valid on the day (YYYY-MM-DD); the most recently started one wins overlaps. */
  async findValid(fromCurrency: string, toCurrency: string, day: string): Promise<FxRate | undefined> {
    if (!DAY.test(day)) throw new PersistenceInputError(`fx rate day "${day}" is not a date like 2026-01-31`);
    const { rows } = await runSql<FxRateRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM fx_rates
        WHERE from_currency = $1 AND to_currency = $2 AND valid_from <= $3::date
          AND (valid_to IS NULL OR valid_to >= $3::date)
        ORDER BY valid_from DESC, id DESC LIMIT 1`,
      [fromCurrency, toCurrency, day],
    );
    const row = rows[0];
    return row === undefined ? undefined : this.toRate(row);
  }

  /** Every configured rate, by pair then newest validity first. */
  async list(): Promise<FxRate[]> {
    const { rows } = await runSql<FxRateRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM fx_rates ORDER BY from_currency, to_currency, valid_from DESC, id DESC`,
    );
    return rows.map((row) => this.toRate(row));
  }

  /** Removes a rate by id; false when there was none. */
  async delete(id: string): Promise<boolean> {
    if (!/^\d+$/.test(id)) return false;
    const { affected } = await runSql(this.dataSource, `DELETE FROM fx_rates WHERE id = $1`, [id]);
    return affected > 0;
  }

  private toRate(row: FxRateRow): FxRate {
    return this.rates.create({
      id: row.id,
      fromCurrency: row.from_currency,
      toCurrency: row.to_currency,
      rate: row.rate,
      validFrom: row.valid_from,
      validTo: row.valid_to,
      createdAt: row.created_at,
    });
  }
}

function checkRate(rate: NewFxRate): void {
  const problems: string[] = [];
  if (!CURRENCY.test(rate.fromCurrency)) problems.push(`fromCurrency "${rate.fromCurrency}" is not a currency code like EUR`);
  if (!CURRENCY.test(rate.toCurrency)) problems.push(`toCurrency "${rate.toCurrency}" is not a currency code like USD`);
  if (!DECIMAL.test(rate.rate) || /^0+(\.0+)?$/.test(rate.rate)) {
    problems.push(`rate "${rate.rate}" is not a positive decimal string`);
  }
  if (!DAY.test(rate.validFrom)) problems.push(`validFrom "${rate.validFrom}" is not a date like 2026-01-31`);
  if (rate.validTo != null && !DAY.test(rate.validTo)) problems.push(`validTo "${rate.validTo}" is not a date like 2026-01-31`);
  else if (rate.validTo != null && rate.validTo < rate.validFrom) {
    problems.push(`validTo ${rate.validTo} is before validFrom ${rate.validFrom}`);
  }
  if (problems.length > 0) throw new PersistenceInputError(`fx rate: ${problems.join('; ')}`);
}
