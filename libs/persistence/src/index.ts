// The persistence lib's only door: data source, migrations, repositories, recorder, secrets at rest.
export * from './persistence.errors';
export type { Page, PageRequest } from './pagination';

export * from './database/create-data-source';
export * from './database/migrate-database';
export * from './database/start-embedded-postgres';
export * from './database/create-test-database';

export * from './executions/execution-status';
export * from './executions/execution-record';
export * from './executions/execution.entity';
export * from './executions/execution.repository';
export * from './executions/execution.recorder';

export * from './dead-letters/dead-letter-status';
export * from './dead-letters/dead-letter.entity';
export * from './dead-letters/dead-letter.repository';

export * from './idempotency/idempotency-key.entity';
export * from './idempotency/idempotency.repository';

export * from './ingress/ingress-event.entity';
export * from './ingress/ingress-event.repository';

export * from './flow-cursors/flow-cursor.entity';
export * from './flow-cursors/flow-cursor.repository';

export * from './audit/audit-log-entry.entity';
export * from './audit/audit-log.repository';

export * from './secrets/secret.cipher';
export * from './secrets/encrypted-secret.entity';
export * from './secrets/encrypted-oauth-token.entity';
export * from './secrets/secret.repository';
export * from './secrets/oauth-token.repository';
export * from './secrets/secret.store';
export * from './secrets/encrypted-token.store';

export * from './scheduling/with-advisory-lock';

export * from './reconciliation/reconciliation-match.entity';
export * from './reconciliation/reconciliation-review-item.entity';
export * from './reconciliation/reconciliation.repository';

export * from './access/api-key-role';
export * from './access/api-key.entity';
export * from './access/api-key.repository';

export * from './alerts/alert-severity';
export * from './alerts/alert.entity';
export * from './alerts/alert.repository';

export * from './payouts/payout-item-status';
export * from './payouts/payout-conflict.error';
export * from './payouts/payout-batch.entity';
export * from './payouts/payout-item.entity';
export * from './payouts/payout-item-transition.entity';
export * from './payouts/payout-queue-pause.entity';
export * from './payouts/payout.repository';

export * from './id-maps/id-map-entry.entity';
export * from './id-maps/id-map-conflict.error';
export * from './id-maps/id-map.repository';

export * from './fx-rates/fx-rate.entity';
export * from './fx-rates/fx-rate.repository';
export * from './fees/fee.repository';
