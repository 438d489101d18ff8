/**
 * The client reference id Payoneer keys a payout by: the business reference plus the attempt.
 * Deterministic, so a retry or a resend after a crash reuses it and Payoneer refuses a second payout;
 * only an operator's re-initiation (a new attempt) makes a new one.
 */
export function clientReferenceIdFor(businessReference: string, attempt: number): string {
  return `${businessReference}-A${attempt}`;
}
