import { type AlertSink, type PayoutAlert } from '../alert-sink.port';

/** An `AlertSink` that keeps every alert in memory, for tests and the demo. */
export class RecordingAlertSink implements AlertSink {
  readonly alerts: PayoutAlert[] = [];

  async raise(alert: PayoutAlert): Promise<void> {
    this.alerts.push(alert);
  }
}
