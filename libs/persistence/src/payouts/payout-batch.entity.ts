import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type PayoutBatchSource } from './payout-item-status';

/** A set of payouts built together (from Clarity, an API request or a CSV upload). */
@Entity({ name: 'payout_batches' })
export class PayoutBatch {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The business reference of the whole batch, unique: building the same batch twice is refused. */
  @Column({ type: 'text' })
  reference!: string;

  @Column({ type: 'text' })
  source!: PayoutBatchSource;

  /** The Payoneer account (program) whose balances pay this batch. */
  @Column({ type: 'text' })
  account!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
