import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A configured rate: 1 `fromCurrency` = `rate` `toCurrency` on the days validFrom..validTo (inclusive). */
@Entity({ name: 'fx_rates' })
export class FxRate {
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'from_currency', type: 'char', length: 3 })
  fromCurrency!: string;

  @Column({ name: 'to_currency', type: 'char', length: 3 })
  toCurrency!: string;

  /** Decimal string as PostgreSQL keeps it (numeric), never a float. */
  @Column({ type: 'numeric' })
  rate!: string;

  /** YYYY-MM-DD. */
  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  /** YYYY-MM-DD, or null when open-ended. */
  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
