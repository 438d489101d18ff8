import { type FailureType } from '../errors/connector-error';

/** State of one host's circuit breaker. */
export type BreakerState = 'closed' | 'open' | 'half_open' | 'isolated';

export interface HttpAttemptEvent {
  connectorId: string;
  method: string;
  host: string;
  /** 1 for the first try of a request, 2 for its first retry, ... */
  attempt: number;
  /** HTTP status when the remote answered; undefined for network failures and timeouts. */
  status: number | undefined;
  /** `success`, or how the failure was classified. */
  outcome: 'success' | FailureType;
  durationMs: number;
}

export interface HttpRetryEvent {
  connectorId: string;
  method: string;
  /** The retry about to happen: 1 for the first retry. */
  retry: number;
  delayMs: number;
  failureType: FailureType;
  status: number | undefined;
}

export interface BreakerStateEvent {
  connectorId: string;
  host: string;
  state: BreakerState;
}

/** A token was requested from an authorization server or a session login was attempted. */
export interface CredentialEvent {
  connectorId: string;
  strategy: string;
  outcome: 'obtained' | 'failed';
}

/**
 * Metrics hooks the runtime implements (Prometheus counters, dashboard state). Every hook is
 * optional and must not throw; a throwing hook is logged and otherwise ignored.
 */
export interface ConnectorObserver {
  httpAttempt?(event: HttpAttemptEvent): void;
  httpRetry?(event: HttpRetryEvent): void;
  breakerStateChanged?(event: BreakerStateEvent): void;
  credentialRequested?(event: CredentialEvent): void;
}
