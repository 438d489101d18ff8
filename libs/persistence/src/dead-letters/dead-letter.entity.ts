import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type DeadLetterFailureType, type DeadLetterStatus } from './dead-letter-status';

/** An envelope that exhausted its retries, indexed so operators can inspect, replay or discard it. */
@Entity({ name: 'dead_letters' })
export class DeadLetterRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'flow_id', type: 'text' })
  flowId!: string;

  @Column({ name: 'flow_version', type: 'integer' })
  flowVersion!: number;

  @Column({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ type: 'text', nullable: true })
  key!: string | null;

  /** The bus envelope exactly as it was dead-lettered, so a replay republishes the same thing. */
  @Column({ type: 'jsonb' })
  envelope!: unknown;

  @Column({ name: 'error_class', type: 'text' })
  errorClass!: string;

  @Column({ name: 'error_message', type: 'text' })
  errorMessage!: string;

  @Column({ name: 'failure_type', type: 'text' })
  failureType!: DeadLetterFailureType;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'original_topic', type: 'text', nullable: true })
  originalTopic!: string | null;

  @Column({ name: 'original_partition', type: 'integer', nullable: true })
  originalPartition!: number | null;

  /** Decimal string: Kafka offsets exceed 2^53. */
  @Column({ name: 'original_offset', type: 'bigint', nullable: true })
  originalOffset!: string | null;

  @Column({ type: 'text' })
  status!: DeadLetterStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'replayed_execution_id', type: 'uuid', nullable: true })
  replayedExecutionId!: string | null;

  @Column({ name: 'discard_reason', type: 'text', nullable: true })
  discardReason!: string | null;
}
