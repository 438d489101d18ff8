import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where a polling flow left off (e.g. the last `ModifiedSince`), as JSON. */
@Entity({ name: 'flow_cursors' })
export class FlowCursor {
  @PrimaryColumn({ name: 'flow_id', type: 'text' })
  flowId!: string;

  @Column({ type: 'jsonb' })
  cursor!: unknown;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
