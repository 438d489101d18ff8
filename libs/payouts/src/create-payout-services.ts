import { PayoutBatchService } from './payout-batch.service';
import { PayoutStatusTracker } from './payout-status.tracker';
import { PayoutSubmissionService } from './payout-submission.service';
import { type PayoutsDependencies } from './payouts.dependencies';
import { type PayoutsOptions, resolvePayoutsOptions } from './payouts.options';

/** The three payout services, sharing one tracker. */
export interface PayoutServices {
  batches: PayoutBatchService;
  submission: PayoutSubmissionService;
  tracker: PayoutStatusTracker;
}

/** Validates `options` and wires the payout services over `deps`. */
export function createPayoutServices(
  deps: PayoutsDependencies,
  options: PayoutsOptions,
): PayoutServices {
  const resolved = resolvePayoutsOptions(options);
  const tracker = new PayoutStatusTracker(deps, resolved);
  return {
    batches: new PayoutBatchService(deps, resolved, tracker),
    submission: new PayoutSubmissionService(deps, resolved, tracker),
    tracker,
  };
}
