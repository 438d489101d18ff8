import type { RaiseAlert } from './alert.service';

/** What the DLQ writer knows about a parked event. */
export interface DeadLetterFacts {
  flowId: string;
  eventId: string;
  key: string | null;
  failureType: string;
  errorClass: string;
  message: string;
  status: 'pending' | 'review';
}

/**
 * The alert a dead letter raises: business failures Payoneer reports (insufficient funds, unknown or
 * inactive payee) get their own rule per payee or flow; anything else counts towards `dlq_growth` of the flow.
 */
export function deadLetterAlert(facts: DeadLetterFacts): RaiseAlert {
  const details = { flowId: facts.flowId, eventId: facts.eventId, key: facts.key, failureType: facts.failureType, errorClass: facts.errorClass, status: facts.status };
  const evidence = `${facts.errorClass} ${facts.message}`;
  if (/insufficient[\s_-]*funds/i.test(evidence)) {
    return { rule: 'insufficient_funds', severity: 'critical', subject: facts.flowId, message: `payout account lacks funds: ${facts.message}`, details };
  }
  if (/payee/i.test(evidence) && /invalid|not[\s_-]*found|inactive|does not exist|unknown/i.test(evidence)) {
    return { rule: 'invalid_payee', severity: 'warning', subject: facts.key ?? facts.flowId, message: `payee cannot be paid: ${facts.message}`, details };
  }
  return {
    rule: 'dlq_growth',
    severity: facts.status === 'review' ? 'warning' : 'critical',
    subject: facts.flowId,
    message: `event ${facts.eventId} of flow ${facts.flowId} was dead-lettered (${facts.failureType}): ${facts.message}`,
    details,
  };
}
