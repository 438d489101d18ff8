import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Id maps (Clarity account ↔ Payoneer payee, and any other pair of systems) and the configured
 * FX rate table. A target id is unique within its namespace so the reverse lookup has one answer.
 * Rates are `numeric`, never floats; validity is by calendar day, `valid_to` open-ended when null.
 */
export class IdMapsAndFxRates1764633600000 implements MigrationInterface {
  name = 'IdMapsAndFxRates1764633600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE id_maps (
        namespace  text        NOT NULL,
        source_id  text        NOT NULL,
        target_id  text        NOT NULL,
        origin     text        NOT NULL CONSTRAINT id_maps_origin_check CHECK (origin IN ('first_sight', 'api')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (namespace, source_id),
        CONSTRAINT id_maps_target_unique UNIQUE (namespace, target_id)
      )`);

    await runner.query(`
      CREATE TABLE fx_rates (
        id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        from_currency char(3)     NOT NULL,
        to_currency   char(3)     NOT NULL,
        rate          numeric(30, 12) NOT NULL CONSTRAINT fx_rates_rate_check CHECK (rate > 0),
        valid_from    date        NOT NULL,
        valid_to      date,
        created_at    timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT fx_rates_validity_check CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    await runner.query(
      `CREATE INDEX fx_rates_pair_idx ON fx_rates (from_currency, to_currency, valid_from DESC)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS fx_rates`);
    await runner.query(`DROP TABLE IF EXISTS id_maps`);
  }
}
