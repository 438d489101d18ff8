import { DataSource, type Logger } from 'typeorm';
import { ApiKeyRecord } from '../access/api-key.entity';
import { AlertRecord } from '../alerts/alert.entity';
import { AuditLogEntry } from '../audit/audit-log-entry.entity';
import { DeadLetterRecord } from '../dead-letters/dead-letter.entity';
import { Execution } from '../executions/execution.entity';
import { FlowCursor } from '../flow-cursors/flow-cursor.entity';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity';
import { IngressEvent } from '../ingress/ingress-event.entity';
import { InitialSchema1732406400000 } from '../migrations/1732406400000-initial-schema.migration';
import { AccessAndAlerts1764100000000 } from '../migrations/1764100000000-access-and-alerts.migration';
import { PayoutBatches1764720000000 } from '../migrations/1764720000000-payout-batches.migration';
import { PayoutBatch } from '../payouts/payout-batch.entity';
import { PayoutItemTransition } from '../payouts/payout-item-transition.entity';
import { PayoutItem } from '../payouts/payout-item.entity';
import { PayoutQueuePause } from '../payouts/payout-queue-pause.entity';
import { IdMapsAndFxRates1764633600000 } from '../migrations/1764633600000-id-maps-and-fx-rates.migration';
import { IdMapEntry } from '../id-maps/id-map-entry.entity';
import { FxRate } from '../fx-rates/fx-rate.entity';
import { Reconciliation1795996800000 } from '../migrations/1795996800000-reconciliation.migration';
import { FeeLedger1795996900000 } from '../migrations/1795996900000-fee-ledger.migration';
import { PersistenceInputError } from '../persistence.errors';
import { ReconciliationMatchRecord } from '../reconciliation/reconciliation-match.entity';
import { ReconciliationReviewItemRecord } from '../reconciliation/reconciliation-review-item.entity';
import { EncryptedOAuthToken } from '../secrets/encrypted-oauth-token.entity';
import { EncryptedSecret } from '../secrets/encrypted-secret.entity';

export interface DatabaseConnectionOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** Schema that holds every table; default `public`. Lower-case letters, digits and `_` only. */
  schema?: string;
  /** Log every SQL statement (noisy; for debugging). */
  logging?: boolean;
  /** Connections in the pool; default 10. */
  poolSize?: number;
  /** A TypeORM logger to receive queries and errors instead of the console. */
  logger?: Logger;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Builds (does not connect) the TypeORM data source for Switchboard's store; tables come only from migrations. */
export function createDataSource(options: DatabaseConnectionOptions): DataSource {
  if (!/^postgres(ql)?:\/\//.test(options.url)) {
    throw new PersistenceInputError('database url must start with postgres:// or postgresql://');
  }
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new PersistenceInputError(
      `database schema "${schema}" is not allowed: use lower-case letters, digits and _ (max 63), starting with a letter or _`,
    );
  }
  if (
    options.poolSize !== undefined &&
    (!Number.isInteger(options.poolSize) || options.poolSize < 1)
  ) {
    throw new PersistenceInputError(
      `database poolSize must be a positive integer, got ${options.poolSize}`,
    );
  }
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema,
    applicationName: 'switchboard',
    poolSize: options.poolSize ?? 10,
    entities: [
      Execution,
      DeadLetterRecord,
      IdempotencyKey,
      IngressEvent,
      FlowCursor,
      AuditLogEntry,
      EncryptedSecret,
      EncryptedOAuthToken,
      ApiKeyRecord,
      AlertRecord,
      IdMapEntry,
      FxRate,
      PayoutBatch,
      PayoutItem,
      PayoutItemTransition,
      PayoutQueuePause,
      ReconciliationMatchRecord,
      ReconciliationReviewItemRecord,
    ],
    migrations: [InitialSchema1732406400000, Reconciliation1795996800000, AccessAndAlerts1764100000000, IdMapsAndFxRates1764633600000, PayoutBatches1764720000000, FeeLedger1795996900000],
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    // Tables use gen_random_uuid() (core since PostgreSQL 13): no extension, no superuser needed.
    installExtensions: false,
    logging: options.logging ?? false,
    logger: options.logger,
    // Raw SQL in repositories and migrations uses unqualified names; search_path points them at the schema.
    extra: schema === undefined ? undefined : { options: `-c search_path=${schema}` },
  });
}
