import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A cached OAuth2 access token, sealed like a secret; the expiry stays readable for clean-up. */
@Entity({ name: 'oauth_tokens' })
export class EncryptedOAuthToken {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'bytea' })
  ciphertext!: Buffer;

  @Column({ type: 'bytea' })
  iv!: Buffer;

  @Column({ name: 'auth_tag', type: 'bytea' })
  authTag!: Buffer;

  @Column({ name: 'key_id', type: 'text' })
  keyId!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
