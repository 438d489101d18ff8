// The reconciliation lib's only door: the pure matcher, the journal entry plan, the Postgres-backed service, the data generator.
export * from './canonical-records';
export * from './reconciliation.errors';
export * from './reconciliation-config';
export * from './reconciliation-facts';
export * from './reconciliation-decision';
export * from './matcher/match-result';
export { matchPayment } from './matcher/payment-matcher';
export {
  normalizeReference,
  referenceSimilarity,
  referenceTokens,
} from './matcher/reference-similarity';
export {
  buildCorrectionEntryPlan,
  buildRevenueEntryPlan,
  isBalanced,
  type RevenueEntryInput,
} from './journal-entry-plan.builder';
export { ReconciliationService, type ReconciliationServiceOptions } from './reconciliation.service';
export * from './data-generator/reconciliation-data.generator';
export type {
  Page,
  PageRequest,
  ReconciliationMatchRecord,
  ReconciliationReportRow,
  ReconciliationReviewItemRecord,
  ReviewItemFilter,
  ReviewReason,
} from '@switchboard/persistence';
