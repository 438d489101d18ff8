import { type AlertSink, type PayoutAlert } from '@switchboard/payouts';
import { type AlertRule, ALERT_RULES } from '../alerts/alert-rule';
import { type AlertService } from '../alerts/alert.service';

/** The payouts lib's alerts (treasury: funding; finance: review) into the runtime's alert store and webhook. */
export class AlertServiceSink implements AlertSink {
  constructor(private readonly alerts: AlertService) {}

  async raise(alert: PayoutAlert): Promise<void> {
    if (!(ALERT_RULES as readonly string[]).includes(alert.rule))
      throw new Error(`payout alert rule "${alert.rule}" is not declared in ALERT_RULES`);
    await this.alerts.raise({
      rule: alert.rule as AlertRule,
      severity: alert.severity,
      subject: alert.subject,
      message: alert.message,
      details: alert.details,
    });
  }
}
