import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A stop of one account/currency payout queue (e.g. insufficient funds); open while `resumedAt` is null. */
@Entity({ name: 'payout_queue_pauses' })
export class PayoutQueuePause {
  /** Decimal string: a bigint identity. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'text' })
  account!: string;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;

  @Column({ name: 'paused_at', type: 'timestamptz' })
  pausedAt!: Date;

  @Column({ name: 'resumed_at', type: 'timestamptz', nullable: true })
  resumedAt!: Date | null;

  @Column({ name: 'resumed_by', type: 'text', nullable: true })
  resumedBy!: string | null;
}
