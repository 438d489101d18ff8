import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The first schema of Switchboard's store. Hand-written SQL: it is the contract the entities
 * mirror, and it reads better than generated DDL. Unqualified names land in the connection's
 * search_path schema, so the same migration serves `public` and per-test schemas.
 * Columns that page keysets sort on are `timestamptz(3)`: JavaScript dates carry milliseconds,
 * and a cursor that lost the microseconds would skip rows.
 */
export class InitialSchema1732406400000 implements MigrationInterface {
  name = 'InitialSchema1732406400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE executions (
        id             uuid        PRIMARY KEY,
        flow_id        text        NOT NULL,
        flow_version   integer     NOT NULL,
        event_id       text        NOT NULL,
        key            text,
        status         text        NOT NULL CONSTRAINT executions_status_check CHECK (status IN
                         ('running', 'succeeded', 'failed', 'retrying', 'dead_lettered', 'in_review', 'duplicate')),
        attempts       integer     NOT NULL DEFAULT 1,
        started_at     timestamptz(3) NOT NULL,
        finished_at    timestamptz,
        duration_ms    integer,
        error_class    text,
        error_message  text,
        trace          jsonb       NOT NULL DEFAULT '[]'::jsonb,
        correlation_id text
      )`);
    // Listing is newest first with keyset paging on (started_at, id); each filter gets an index that serves that order.
    await runner.query(
      `CREATE INDEX executions_started_idx ON executions (started_at DESC, id DESC)`,
    );
    await runner.query(
      `CREATE INDEX executions_flow_started_idx ON executions (flow_id, started_at DESC, id DESC)`,
    );
    await runner.query(
      `CREATE INDEX executions_status_started_idx ON executions (status, started_at DESC, id DESC)`,
    );
    await runner.query(
      `CREATE INDEX executions_key_started_idx ON executions (key, started_at DESC, id DESC)`,
    );
    await runner.query(`CREATE INDEX executions_flow_event_idx ON executions (flow_id, event_id)`);
    await runner.query(
      `CREATE INDEX executions_correlation_idx ON executions (correlation_id) WHERE correlation_id IS NOT NULL`,
    );

    await runner.query(`
      CREATE TABLE dead_letters (
        id                    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        flow_id               text        NOT NULL,
        flow_version          integer     NOT NULL,
        event_id              text        NOT NULL,
        key                   text,
        envelope              jsonb       NOT NULL,
        error_class           text        NOT NULL,
        error_message         text        NOT NULL,
        failure_type          text        NOT NULL CONSTRAINT dead_letters_failure_type_check CHECK (failure_type IN
                                ('config', 'transient', 'rate_limited', 'business')),
        attempts              integer     NOT NULL,
        original_topic        text,
        original_partition    integer,
        original_offset       bigint,
        status                text        NOT NULL DEFAULT 'pending' CONSTRAINT dead_letters_status_check CHECK (status IN
                                ('pending', 'review', 'replayed', 'discarded')),
        created_at            timestamptz(3) NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now(),
        replayed_execution_id uuid,
        discard_reason        text
      )`);
    await runner.query(
      `CREATE INDEX dead_letters_created_idx ON dead_letters (created_at DESC, id DESC)`,
    );
    await runner.query(
      `CREATE INDEX dead_letters_flow_created_idx ON dead_letters (flow_id, created_at DESC, id DESC)`,
    );
    await runner.query(
      `CREATE INDEX dead_letters_status_created_idx ON dead_letters (status, created_at DESC, id DESC)`,
    );
    await runner.query(`CREATE INDEX dead_letters_key_idx ON dead_letters (key)`);
    await runner.query(`CREATE INDEX dead_letters_event_idx ON dead_letters (event_id)`);

    await runner.query(`
      CREATE TABLE idempotency_keys (
        scope        text        NOT NULL,
        key          text        NOT NULL,
        result       jsonb,
        created_at   timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope, key)
      )`);
    await runner.query(
      `CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`,
    );

    await runner.query(`
      CREATE TABLE ingress_events (
        connector   text        NOT NULL,
        event       text        NOT NULL,
        event_id    text        NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ingress_events_pkey PRIMARY KEY (connector, event, event_id)
      )`);
    await runner.query(`CREATE INDEX ingress_events_received_idx ON ingress_events (received_at)`);

    await runner.query(`
      CREATE TABLE flow_cursors (
        flow_id    text        PRIMARY KEY,
        cursor     jsonb       NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await runner.query(`
      CREATE TABLE audit_log (
        id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at           timestamptz(3) NOT NULL DEFAULT now(),
        actor        text        NOT NULL,
        action       text        NOT NULL,
        subject_type text        NOT NULL,
        subject_id   text,
        details      jsonb       NOT NULL DEFAULT '{}'::jsonb
      )`);
    await runner.query(`CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC)`);
    await runner.query(
      `CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id, at DESC)`,
    );
    await runner.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor, at DESC)`);

    await runner.query(`
      CREATE TABLE secrets (
        name       text        PRIMARY KEY,
        ciphertext bytea       NOT NULL,
        iv         bytea       NOT NULL,
        auth_tag   bytea       NOT NULL,
        key_id     text        NOT NULL,
        metadata   jsonb       NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz
      )`);
    await runner.query(`CREATE INDEX secrets_key_id_idx ON secrets (key_id)`);

    await runner.query(`
      CREATE TABLE oauth_tokens (
        key        text        PRIMARY KEY,
        ciphertext bytea       NOT NULL,
        iv         bytea       NOT NULL,
        auth_tag   bytea       NOT NULL,
        key_id     text        NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX oauth_tokens_expires_idx ON oauth_tokens (expires_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'oauth_tokens',
      'secrets',
      'audit_log',
      'flow_cursors',
      'ingress_events',
      'idempotency_keys',
      'dead_letters',
      'executions',
    ]) {
      await runner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
