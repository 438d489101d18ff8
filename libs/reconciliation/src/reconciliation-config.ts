import { Decimal } from 'decimal.js';
import { ReconciliationInputError } from './reconciliation.errors';

/** Thresholds, tolerances and ledger accounts of the reconciliation engine. */
export interface ReconciliationConfig {
  /** Score (0–1) at or above which a match posts without a person. */
  autoPostThreshold: number;
  /** Score at or above which a candidate goes to review; below it the payment waits as unmatched. */
  reviewThreshold: number;
  /** The best candidate must beat the runner-up by this much to auto-post. */
  minimumMargin: number;
  /** Absolute amount difference (in the order currency) accepted as rounding, e.g. "0.02". */
  roundingTolerance: string;
  /** Relative difference accepted after an FX conversion, e.g. "0.005" for 0.5 %. */
  fxTolerance: string;
  /** Reference similarity (0–1) below which a reference counts as not matching. */
  minimumReferenceSimilarity: number;
  /** A payment may arrive up to this many days after the order … */
  dateWindowDays: number;
  /** … or this many days before it (clock skew, pre-payment). */
  dateWindowBeforeDays: number;
  /** Unmatched orders and payments older than this go to review. */
  unmatchedReviewAfterHours: number;
  /**
   * True when each Payoneer fee is posted by an entry of its own (the canonical-fee-to-erp flow):
   * the revenue entry then debits cash with the gross, so the fee is not booked twice.
   */
  feesPostedSeparately: boolean;
  /** Accounts the journal entry plan uses. */
  accounts: {
    cash: string;
    fees: string;
    revenue: string;
    fxDifference: string;
    adjustments: string;
  };
  company?: string;
  costCenter?: string;
}

export const DEFAULT_RECONCILIATION_CONFIG: ReconciliationConfig = {
  autoPostThreshold: 0.9,
  reviewThreshold: 0.4,
  minimumMargin: 0.1,
  roundingTolerance: '0.02',
  fxTolerance: '0.005',
  minimumReferenceSimilarity: 0.75,
  dateWindowDays: 14,
  dateWindowBeforeDays: 1,
  unmatchedReviewAfterHours: 72,
  feesPostedSeparately: false,
  accounts: {
    cash: 'Payoneer',
    fees: 'Payoneer Fees',
    revenue: 'Debtors',
    fxDifference: 'Exchange Gain/Loss',
    adjustments: 'Write Off',
  },
};

/** Fills defaults into a partial config and rejects values that make no sense, naming the field. */
export function resolveReconciliationConfig(
  overrides: Partial<ReconciliationConfig> = {},
): ReconciliationConfig {
  const config: ReconciliationConfig = {
    ...DEFAULT_RECONCILIATION_CONFIG,
    ...overrides,
    accounts: { ...DEFAULT_RECONCILIATION_CONFIG.accounts, ...overrides.accounts },
  };
  const fractions = [
    'autoPostThreshold',
    'reviewThreshold',
    'minimumMargin',
    'minimumReferenceSimilarity',
  ] as const;
  for (const field of fractions) {
    const value = config[field];
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new ReconciliationInputError(
        `reconciliation config ${field} must be a number from 0 to 1, got ${String(value)}`,
      );
    }
  }
  if (config.reviewThreshold > config.autoPostThreshold) {
    throw new ReconciliationInputError(
      `reconciliation config reviewThreshold (${config.reviewThreshold}) must not exceed autoPostThreshold (${config.autoPostThreshold})`,
    );
  }
  for (const field of ['roundingTolerance', 'fxTolerance'] as const) {
    if (!/^\d+(\.\d+)?$/.test(config[field])) {
      throw new ReconciliationInputError(
        `reconciliation config ${field} must be a non-negative decimal string, got ${JSON.stringify(config[field])}`,
      );
    }
  }
  if (new Decimal(config.fxTolerance).gte(1)) {
    throw new ReconciliationInputError(
      `reconciliation config fxTolerance is a fraction (0.005 = 0.5 %), got ${config.fxTolerance}`,
    );
  }
  for (const field of [
    'dateWindowDays',
    'dateWindowBeforeDays',
    'unmatchedReviewAfterHours',
  ] as const) {
    if (!Number.isFinite(config[field]) || config[field] < 0) {
      throw new ReconciliationInputError(
        `reconciliation config ${field} must be a non-negative number, got ${String(config[field])}`,
      );
    }
  }
  return config;
}
