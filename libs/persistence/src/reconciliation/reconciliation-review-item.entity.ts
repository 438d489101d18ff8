import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Why an item needs a person. */
export type ReviewReason =
  'mismatch' | 'low_confidence' | 'ambiguous' | 'duplicate' | 'unmatched' | 'partial';

/** A payment or order the engine would not post on its own, waiting for finance. */
@Entity({ name: 'recon_review_items' })
export class ReconciliationReviewItemRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  reason!: ReviewReason;

  @Column({ type: 'text' })
  status!: 'open' | 'resolved' | 'dismissed';

  @Column({ name: 'subject_type', type: 'text' })
  subjectType!: 'payment' | 'order';

  /** `<source>:<sourceId>` of the payment or order under review. */
  @Column({ name: 'subject_key', type: 'text' })
  subjectKey!: string;

  @Column({ type: 'text' })
  currency!: string;

  /** Decimal string. */
  @Column({ type: 'numeric' })
  amount!: string;

  /** YYYY-MM-DD of the payment or order. */
  @Column({ type: 'date' })
  day!: string;

  /** Candidates the matcher weighed, each with its score and rules. */
  @Column({ type: 'jsonb' })
  candidates!: unknown[];

  @Column({ type: 'jsonb' })
  evidence!: Record<string, unknown>;

  @Column({ type: 'jsonb', nullable: true })
  resolution!: Record<string, unknown> | null;

  @Column({ name: 'resolved_by', type: 'text', nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}
