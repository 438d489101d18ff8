import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Payout batches and their items, every item status change, and payout queue pauses.
 * Two guards against paying twice live in the schema itself: a client reference id is unique,
 * and a business reference has at most one live (not failed/cancelled) attempt.
 */
export class PayoutBatches1764720000000 implements MigrationInterface {
  name = 'PayoutBatches1764720000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE payout_batches (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        reference   text        NOT NULL CONSTRAINT payout_batches_reference_key UNIQUE,
        source      text        NOT NULL CONSTRAINT payout_batches_source_check CHECK (source IN ('clarity', 'api', 'csv')),
        account     text        NOT NULL,
        description text,
        created_by  text        NOT NULL,
        created_at  timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX payout_batches_created_idx ON payout_batches (created_at DESC, id DESC)`,
    );

    await runner.query(`
      CREATE TABLE payout_items (
        id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_id            uuid        NOT NULL REFERENCES payout_batches (id) ON DELETE CASCADE,
        seq                 bigint      GENERATED ALWAYS AS IDENTITY,
        account             text        NOT NULL,
        business_reference  text        NOT NULL,
        attempt             integer     NOT NULL CONSTRAINT payout_items_attempt_check CHECK (attempt >= 1),
        client_reference_id text        NOT NULL CONSTRAINT payout_items_client_reference_id_key UNIQUE,
        previous_attempt_id uuid        REFERENCES payout_items (id),
        party_reference     text        NOT NULL,
        payee_id            text,
        amount              numeric(18, 2) NOT NULL,
        currency            text        NOT NULL,
        description         text        NOT NULL,
        status              text        NOT NULL CONSTRAINT payout_items_status_check CHECK (status IN
                              ('draft', 'queued', 'submitted', 'pending', 'paid', 'failed', 'cancelled', 'in_review')),
        status_reason       text,
        payoneer_payout_id  text,
        payoneer_status     text,
        submitted_at        timestamptz(3),
        last_checked_at     timestamptz(3),
        created_at          timestamptz(3) NOT NULL DEFAULT now(),
        updated_at          timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT payout_items_business_reference_attempt_key UNIQUE (business_reference, attempt)
      )`);
    // One live attempt per business reference: a re-initiated item can only exist once its predecessor is closed.
    await runner.query(
      `CREATE UNIQUE INDEX payout_items_live_reference_idx ON payout_items (business_reference)
         WHERE status NOT IN ('failed', 'cancelled')`,
    );
    await runner.query(`CREATE INDEX payout_items_batch_idx ON payout_items (batch_id, seq)`);
    // The submitter reads each queue in FIFO order.
    await runner.query(
      `CREATE INDEX payout_items_queue_idx ON payout_items (account, currency, status, seq)`,
    );
    await runner.query(
      `CREATE INDEX payout_items_status_checked_idx ON payout_items (status, last_checked_at)`,
    );

    await runner.query(`
      CREATE TABLE payout_item_transitions (
        id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        item_id     uuid        NOT NULL REFERENCES payout_items (id) ON DELETE CASCADE,
        from_status text,
        to_status   text        NOT NULL,
        at          timestamptz(3) NOT NULL DEFAULT now(),
        actor       text        NOT NULL,
        reason      text,
        details     jsonb       NOT NULL DEFAULT '{}'::jsonb
      )`);
    await runner.query(
      `CREATE INDEX payout_item_transitions_item_idx ON payout_item_transitions (item_id, id)`,
    );

    await runner.query(`
      CREATE TABLE payout_queue_pauses (
        id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account    text        NOT NULL,
        currency   text        NOT NULL,
        reason     text        NOT NULL,
        details    jsonb       NOT NULL DEFAULT '{}'::jsonb,
        paused_at  timestamptz(3) NOT NULL DEFAULT now(),
        resumed_at timestamptz(3),
        resumed_by text
      )`);
    await runner.query(
      `CREATE UNIQUE INDEX payout_queue_pauses_open_idx ON payout_queue_pauses (account, currency)
         WHERE resumed_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE payout_queue_pauses`);
    await runner.query(`DROP TABLE payout_item_transitions`);
    await runner.query(`DROP TABLE payout_items`);
    await runner.query(`DROP TABLE payout_batches`);
  }
}
