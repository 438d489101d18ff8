import {
  type ReconciliationConfig,
  resolveReconciliationConfig,
} from '@switchboard/reconciliation';
import { type ReconciliationRuntimeConfig } from '../config/runtime-config';

const PASS_THROUGH = [
  'autoPostThreshold',
  'reviewThreshold',
  'minimumMargin',
  'roundingTolerance',
  'fxTolerance',
  'minimumReferenceSimilarity',
  'dateWindowDays',
  'dateWindowBeforeDays',
  'unmatchedReviewAfterHours',
  'feesPostedSeparately',
  'company',
  'costCenter',
] as const;

/**
 * The engine's ReconciliationConfig from the runtime's `reconciliation:` section: settings left
 * unset keep the engine's defaults. Throws ReconciliationInputError naming a nonsensical value.
 */
export function toEngineConfig(section: ReconciliationRuntimeConfig): ReconciliationConfig {
  const overrides: Partial<ReconciliationConfig> = { accounts: { ...section.accounts } };
  for (const field of PASS_THROUGH) {
    const value = section[field];
    if (value !== undefined) Object.assign(overrides, { [field]: value });
  }
  return resolveReconciliationConfig(overrides);
}
