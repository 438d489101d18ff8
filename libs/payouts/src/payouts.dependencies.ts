import { type AuditLogRepository, type PayoutRepository } from '@switchboard/persistence';
import { type AlertSink } from './alert-sink.port';
import { type PayeeResolver } from './payee-resolver.port';
import { type PayoutGateway } from './payout-gateway.port';

/** What the payout services are built from; the runtime provides real ones, tests the sandbox adapter. */
export interface PayoutsDependencies {
  repository: PayoutRepository;
  audit: AuditLogRepository;
  gateway: PayoutGateway;
  alerts: AlertSink;
  payees: PayeeResolver;
  /** Waits between gateway retries (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
}
