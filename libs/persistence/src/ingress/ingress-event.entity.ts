import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A webhook delivery seen once; a second delivery of the same event id is a duplicate. */
@Entity({ name: 'ingress_events' })
export class IngressEvent {
  @PrimaryColumn({ type: 'text' })
  connector!: string;

  @PrimaryColumn({ type: 'text' })
  event!: string;

  @PrimaryColumn({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
