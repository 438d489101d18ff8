import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * API keys (only a SHA-256 hash and a display prefix are kept: the key itself is shown once) and
 * operator alerts (one row per rule + subject episode; repeats within the dedupe window bump `count`).
 */
export class AccessAndAlerts1764100000000 implements MigrationInterface {
  name = 'AccessAndAlerts1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE api_keys (
        id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        name         text        NOT NULL,
        role         text        NOT NULL CONSTRAINT api_keys_role_check CHECK (role IN ('viewer', 'operator', 'admin')),
        prefix       text        NOT NULL,
        key_hash     text        NOT NULL CONSTRAINT api_keys_hash_key UNIQUE,
        created_at   timestamptz(3) NOT NULL DEFAULT now(),
        created_by   text        NOT NULL,
        last_used_at timestamptz,
        revoked_at   timestamptz
      )`);
    await runner.query(`CREATE INDEX api_keys_created_idx ON api_keys (created_at DESC, id DESC)`);

    await runner.query(`
      CREATE TABLE alerts (
        id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        rule            text        NOT NULL,
        severity        text        NOT NULL CONSTRAINT alerts_severity_check CHECK (severity IN ('info', 'warning', 'critical')),
        subject         text        NOT NULL,
        message         text        NOT NULL,
        details         jsonb       NOT NULL DEFAULT '{}'::jsonb,
        count           integer     NOT NULL DEFAULT 1,
        first_raised_at timestamptz(3) NOT NULL DEFAULT now(),
        last_raised_at  timestamptz(3) NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        acknowledged_by text,
        delivered_at    timestamptz,
        delivery_error  text
      )`);
    await runner.query(`CREATE INDEX alerts_last_raised_idx ON alerts (last_raised_at DESC, id DESC)`);
    // Dedupe looks up the latest episode of a rule + subject.
    await runner.query(`CREATE INDEX alerts_rule_subject_idx ON alerts (rule, subject, last_raised_at DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE alerts`);
    await runner.query(`DROP TABLE api_keys`);
  }
}
