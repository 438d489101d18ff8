import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A reconciled group of orders and payments (or an adjustment/refund), with its evidence and the journal entry to post. */
@Entity({ name: 'recon_matches' })
export class ReconciliationMatchRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  kind!: 'exact' | 'scored' | 'manual' | 'adjustment' | 'refund';

  /** `posted` once the ERP accepted the entry: the idempotent marker a replay checks. */
  @Column({ type: 'text' })
  status!: 'to_post' | 'posted';

  /** Decimal string, 0–1. */
  @Column({ type: 'numeric' })
  score!: string;

  @Column({ type: 'text' })
  currency!: string;

  /** Decimal string: amount credited to revenue (or adjusted) in `currency`. */
  @Column({ type: 'numeric' })
  amount!: string;

  /** Decimal string: processor fees in `currency`. */
  @Column({ type: 'numeric' })
  fee!: string;

  /** Accounting day, YYYY-MM-DD. */
  @Column({ type: 'date' })
  day!: string;

  @Column({ name: 'order_keys', type: 'text', array: true })
  orderKeys!: string[];

  @Column({ name: 'payment_keys', type: 'text', array: true })
  paymentKeys!: string[];

  @Column({ type: 'jsonb' })
  evidence!: Record<string, unknown>;

  /** The canonical.journal-entry@1 document to post. */
  @Column({ type: 'jsonb' })
  plan!: Record<string, unknown>;

  @Column({ name: 'journal_reference', type: 'text' })
  journalReference!: string;

  @Column({ name: 'review_item_id', type: 'uuid', nullable: true })
  reviewItemId!: string | null;

  @Column({ name: 'erp_reference', type: 'text', nullable: true })
  erpReference!: string | null;

  @Column({ name: 'posted_at', type: 'timestamptz', nullable: true })
  postedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
