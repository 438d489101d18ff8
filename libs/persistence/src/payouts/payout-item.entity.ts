import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type PayoutItemStatus } from './payout-item-status';

/** One attempt to pay one business reference (a commission, a vendor balance) to one payee. */
@Entity({ name: 'payout_items' })
export class PayoutItem {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId!: string;

  /** Queue order across batches (FIFO); a re-initiated attempt joins the end. Decimal string. */
  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'text' })
  account!: string;

  @Column({ name: 'business_reference', type: 'text' })
  businessReference!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  /** Sent to Payoneer; derived from business reference + attempt, so a resend is recognised. */
  @Column({ name: 'client_reference_id', type: 'text' })
  clientReferenceId!: string;

  /** The attempt this one replaces after review, if any. */
  @Column({ name: 'previous_attempt_id', type: 'uuid', nullable: true })
  previousAttemptId!: string | null;

  /** Who is owed, in the source's terms (e.g. a Clarity account key). */
  @Column({ name: 'party_reference', type: 'text' })
  partyReference!: string;

  /** The Payoneer payee the party resolved to; null when unknown. */
  @Column({ name: 'payee_id', type: 'text', nullable: true })
  payeeId!: string | null;

  /** Decimal string with two places. */
  @Column({ type: 'numeric' })
  amount!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  status!: PayoutItemStatus;

  /** Why the item is in its status (review reason, cancel reason), for operators. */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ name: 'payoneer_payout_id', type: 'text', nullable: true })
  payoneerPayoutId!: string | null;

  /** Payoneer's own status string as last seen (`Pending Payee`, `Transferred`, …). */
  @Column({ name: 'payoneer_status', type: 'text', nullable: true })
  payoneerStatus!: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ name: 'last_checked_at', type: 'timestamptz', nullable: true })
  lastCheckedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
