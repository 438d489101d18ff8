import { type AlertSeverity } from '@switchboard/persistence';

/** An alert for people: treasury (funding) or finance (recipients to review). */
export interface PayoutAlert {
  /** Dotted rule name, e.g. `payouts.insufficient_funds`. */
  rule: string;
  severity: AlertSeverity;
  /** What the alert is about, e.g. `payout-queue:5510700/EUR`; repeats of one subject group together. */
  subject: string;
  message: string;
  details: Record<string, unknown>;
}

/** Where the lib raises alerts (the runtime's alert store and webhook). */
export interface AlertSink {
  raise(alert: PayoutAlert): Promise<void>;
}
