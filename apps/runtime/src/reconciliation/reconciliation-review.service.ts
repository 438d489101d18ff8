import { Injectable } from '@nestjs/common';
import { ReconciliationService } from '@switchboard/reconciliation';
import { ReconciliationPosting } from './reconciliation-posting.service';

/** What approving a review item did. */
export interface PostingOutcome {
  matchId: string;
  reference: string;
  /** False when the ERP or Clarity refused for now: an alert was raised and the sweep retries it. */
  posted: boolean;
}

/**
 * Resolving a review item continues the flow: an approved match is posted to the ERP and its
 * orders marked in Clarity, whether the reviewer used the API or the dashboard.
 */
@Injectable()
export class ReconciliationReview {
  constructor(
    private readonly service: ReconciliationService,
    private readonly posting: ReconciliationPosting,
  ) {}

  /** Accepts the top candidate, or re-matches to the chosen orders / payments, then posts. */
  async approve(
    id: string,
    actor: string,
    choice: { orderKeys?: string[]; paymentKeys?: string[] } = {},
  ): Promise<PostingOutcome> {
    const decision = await this.service.approve(id, actor, choice);
    const posted = await this.posting.post(
      {
        matchId: decision.matchId,
        kind: decision.kind,
        orderKeys: decision.orderKeys,
        plan: decision.plan,
      },
      actor,
    );
    return { matchId: decision.matchId, reference: decision.plan.reference, posted };
  }
}
