// The payouts lib's only door: batches, validation, chunked idempotent submission, pause/resume, review, status tracking.
export * from './payout.errors';
export * from './payout-gateway.port';
export * from './alert-sink.port';
export * from './payee-resolver.port';
export * from './payables-source.port';
export * from './payouts.dependencies';
export * from './payouts.options';

export * from './payout-line';
export * from './payout-csv.parser';
export * from './client-reference-id';
export * from './payout-item-transitions';
export * from './payout-status-mapping';
export * from './ipcn-payout-notification';
export * from './gateway-retry';

export * from './payout-status.tracker';
export * from './payout-batch.service';
export * from './payout-submission.service';
export * from './create-payout-services';
