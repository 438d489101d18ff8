import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { type PayoutItemStatus } from './payout-item-status';

/** One stored status change of a payout item: the item's audit trail. */
@Entity({ name: 'payout_item_transitions' })
export class PayoutItemTransition {
  /** Decimal string: a bigint identity. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'item_id', type: 'uuid' })
  itemId!: string;

  /** Null for the item's first state. */
  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: PayoutItemStatus | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: PayoutItemStatus;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;
}
