import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type ApiKeyRole } from './api-key-role';

/** An API key as stored: its hash and a display prefix, never the key itself. */
@Entity({ name: 'api_keys' })
export class ApiKeyRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  role!: ApiKeyRole;

  /** The first characters of the key (`sb_AbCd1234`), enough to recognise it in a list. */
  @Column({ type: 'text' })
  prefix!: string;

  /** SHA-256 of the whole key, hex. Never leaves the repository. */
  @Column({ name: 'key_hash', type: 'text', select: false })
  keyHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
