import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How an id-map entry came to be: seen for the first time in an event, or set by an operator. */
export type IdMapOrigin = 'first_sight' | 'api';

/** One pair of ids in a namespace, e.g. Clarity account VEND-0001 → Payoneer payee VEND-0001. */
@Entity({ name: 'id_maps' })
export class IdMapEntry {
  @PrimaryColumn({ type: 'text' })
  namespace!: string;

  @PrimaryColumn({ name: 'source_id', type: 'text' })
  sourceId!: string;

  @Column({ name: 'target_id', type: 'text' })
  targetId!: string;

  @Column({ type: 'text' })
  origin!: IdMapOrigin;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
