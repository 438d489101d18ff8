import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Tables of the reconciliation engine: the orders and payments it has seen (open until matched),
 * the matches with their evidence and journal entry plan, and the review queue.
 * Money is numeric(19,4): the canonical model allows 4 decimals and never a binary float.
 */
export class Reconciliation1795996800000 implements MigrationInterface {
  name = 'Reconciliation1795996800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE recon_orders (
        order_key      text           PRIMARY KEY,
        order_number   text,
        norm_reference text,
        currency       text           NOT NULL,
        total          numeric(19,4)  NOT NULL,
        paid_so_far    numeric(19,4)  NOT NULL DEFAULT 0,
        placed_at      timestamptz(3) NOT NULL,
        state          text           NOT NULL CONSTRAINT recon_orders_state_check CHECK (state IN
                         ('open', 'partial', 'matched', 'review', 'dismissed')),
        facts          jsonb          NOT NULL,
        created_at     timestamptz(3) NOT NULL DEFAULT now(),
        updated_at     timestamptz(3) NOT NULL DEFAULT now()
      )`);
    // Candidate search: by amount window within a currency, by exact normalised reference, by age.
    await runner.query(
      `CREATE INDEX recon_orders_amount_idx ON recon_orders (currency, total) WHERE state IN ('open', 'partial')`,
    );
    await runner.query(`CREATE INDEX recon_orders_reference_idx ON recon_orders (norm_reference)`);
    await runner.query(
      `CREATE INDEX recon_orders_state_placed_idx ON recon_orders (state, placed_at)`,
    );

    await runner.query(`
      CREATE TABLE recon_payments (
        payment_key         text           PRIMARY KEY,
        source              text           NOT NULL,
        transaction_id      text           NOT NULL,
        linked_order_key    text,
        norm_reference      text,
        currency            text           NOT NULL,
        amount              numeric(19,4)  NOT NULL,
        fee                 numeric(19,4)  NOT NULL DEFAULT 0,
        paid_at             timestamptz(3) NOT NULL,
        state               text           NOT NULL CONSTRAINT recon_payments_state_check CHECK (state IN
                              ('open', 'partial', 'matched', 'review', 'dismissed', 'link')),
        allocated_order_key text,
        allocated_amount    numeric(19,4),
        facts               jsonb          NOT NULL,
        created_at          timestamptz(3) NOT NULL DEFAULT now(),
        updated_at          timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX recon_payments_transaction_idx ON recon_payments (transaction_id, source)`,
    );
    await runner.query(
      `CREATE INDEX recon_payments_amount_idx ON recon_payments (currency, amount) WHERE state = 'open'`,
    );
    await runner.query(
      `CREATE INDEX recon_payments_reference_idx ON recon_payments (norm_reference)`,
    );
    await runner.query(
      `CREATE INDEX recon_payments_allocated_idx ON recon_payments (allocated_order_key) WHERE allocated_order_key IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX recon_payments_state_paid_idx ON recon_payments (state, paid_at)`,
    );

    await runner.query(`
      CREATE TABLE recon_matches (
        id                uuid           PRIMARY KEY DEFAULT gen_random_uuid(),
        kind              text           NOT NULL CONSTRAINT recon_matches_kind_check CHECK (kind IN
                            ('exact', 'scored', 'manual', 'adjustment', 'refund')),
        status            text           NOT NULL DEFAULT 'to_post' CONSTRAINT recon_matches_status_check CHECK (status IN
                            ('to_post', 'posted')),
        score             numeric(5,4)   NOT NULL,
        currency          text           NOT NULL,
        amount            numeric(19,4)  NOT NULL,
        fee               numeric(19,4)  NOT NULL DEFAULT 0,
        day               date           NOT NULL,
        order_keys        text[]         NOT NULL,
        payment_keys      text[]         NOT NULL,
        evidence          jsonb          NOT NULL,
        plan              jsonb          NOT NULL,
        journal_reference text           NOT NULL CONSTRAINT recon_matches_journal_reference_key UNIQUE,
        review_item_id    uuid,
        erp_reference     text,
        posted_at         timestamptz,
        created_at        timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX recon_matches_day_idx ON recon_matches (day, currency)`);
    await runner.query(
      `CREATE INDEX recon_matches_status_idx ON recon_matches (status, created_at)`,
    );

    await runner.query(`
      CREATE TABLE recon_review_items (
        id           uuid           PRIMARY KEY DEFAULT gen_random_uuid(),
        reason       text           NOT NULL CONSTRAINT recon_review_items_reason_check CHECK (reason IN
                       ('mismatch', 'low_confidence', 'ambiguous', 'duplicate', 'unmatched', 'partial')),
        status       text           NOT NULL DEFAULT 'open' CONSTRAINT recon_review_items_status_check CHECK (status IN
                       ('open', 'resolved', 'dismissed')),
        subject_type text           NOT NULL CONSTRAINT recon_review_items_subject_check CHECK (subject_type IN
                       ('payment', 'order')),
        subject_key  text           NOT NULL,
        currency     text           NOT NULL,
        amount       numeric(19,4)  NOT NULL,
        day          date           NOT NULL,
        candidates   jsonb          NOT NULL DEFAULT '[]'::jsonb,
        evidence     jsonb          NOT NULL DEFAULT '{}'::jsonb,
        resolution   jsonb,
        resolved_by  text,
        created_at   timestamptz(3) NOT NULL DEFAULT now(),
        resolved_at  timestamptz
      )`);
    await runner.query(
      `CREATE INDEX recon_review_items_status_idx ON recon_review_items (status, created_at DESC, id DESC)`,
    );
    await runner.query(
      `CREATE INDEX recon_review_items_created_idx ON recon_review_items (created_at DESC, id DESC)`,
    );
    // At most one open review item per subject: a replay re-raising it finds the existing one.
    await runner.query(
      `CREATE UNIQUE INDEX recon_review_items_open_subject_idx ON recon_review_items (subject_type, subject_key) WHERE status = 'open'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE recon_review_items');
    await runner.query('DROP TABLE recon_matches');
    await runner.query('DROP TABLE recon_payments');
    await runner.query('DROP TABLE recon_orders');
  }
}
