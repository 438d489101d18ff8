import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type ExecutionStatus } from './execution-status';

/** One run of a flow for one event, as stored in `executions`. */
@Entity({ name: 'executions' })
export class Execution {
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

  @Column({ type: 'text' })
  status!: ExecutionStatus;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs!: number | null;

  @Column({ name: 'error_class', type: 'text', nullable: true })
  errorClass!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  /** The step trace the flow engine produced, stored as given. */
  @Column({ type: 'jsonb' })
  trace!: unknown[];

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId!: string | null;
}
