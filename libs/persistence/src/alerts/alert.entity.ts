import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type AlertSeverity } from './alert-severity';

/** One alert episode: a rule firing for a subject, repeated `count` times within the dedupe window. */
@Entity({ name: 'alerts' })
export class AlertRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Which rule fired: `dlq_growth`, `insufficient_funds`, `connector_down`, ... */
  @Column({ type: 'text' })
  rule!: string;

  @Column({ type: 'text' })
  severity!: AlertSeverity;

  /** What it fired about: a flow id, a connector id, a payee. */
  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;

  @Column({ type: 'integer' })
  count!: number;

  @Column({ name: 'first_raised_at', type: 'timestamptz' })
  firstRaisedAt!: Date;

  @Column({ name: 'last_raised_at', type: 'timestamptz' })
  lastRaisedAt!: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'acknowledged_by', type: 'text', nullable: true })
  acknowledgedBy!: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'delivery_error', type: 'text', nullable: true })
  deliveryError!: string | null;
}
