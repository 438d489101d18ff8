import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The fee ledger: every processor fee seen on canonical.fee.v1, once per fee id, in the currency it
 * was charged in. Amounts are `numeric`, never floats; the dashboard sums them per day and currency.
 */
export class FeeLedger1795996900000 implements MigrationInterface {
  name = 'FeeLedger1795996900000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE fees (
        source         text           NOT NULL,
        source_id      text           NOT NULL,
        record_type    text           NOT NULL,
        record_source  text           NOT NULL,
        record_id      text           NOT NULL,
        kind           text,
        amount         numeric(19, 4) NOT NULL CONSTRAINT fees_amount_check CHECK (amount >= 0),
        currency       char(3)        NOT NULL,
        description    text,
        occurred_at    timestamptz(3) NOT NULL,
        recorded_at    timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (source, source_id)
      )`);
    await runner.query(`CREATE INDEX fees_occurred_at_idx ON fees (occurred_at DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE fees`);
  }
}
