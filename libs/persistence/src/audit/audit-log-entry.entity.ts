import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what to which thing, for operators and auditors. */
@Entity({ name: 'audit_log' })
export class AuditLogEntry {
  /** Decimal string: a bigint identity. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'subject_type', type: 'text' })
  subjectType!: string;

  @Column({ name: 'subject_id', type: 'text', nullable: true })
  subjectId!: string | null;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;
}
