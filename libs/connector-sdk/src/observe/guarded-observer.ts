import { type ConnectorLogger } from './connector-logger';
import { type ConnectorObserver } from './connector-observer';

/** Wraps the runtime's observer so a failing metrics hook is logged instead of failing a request. */
export function guardObserver(
  observer: ConnectorObserver | undefined,
  logger: ConnectorLogger,
): ConnectorObserver {
  if (observer === undefined) return {};
  const safely = (hook: keyof ConnectorObserver, call: () => void): void => {
    try {
      call();
    } catch (error) {
      logger.warn({ hook, err: String(error) }, 'connector observer hook failed');
    }
  };
  return {
    httpAttempt: (event) => safely('httpAttempt', () => observer.httpAttempt?.(event)),
    httpRetry: (event) => safely('httpRetry', () => observer.httpRetry?.(event)),
    breakerStateChanged: (event) =>
      safely('breakerStateChanged', () => observer.breakerStateChanged?.(event)),
    credentialRequested: (event) =>
      safely('credentialRequested', () => observer.credentialRequested?.(event)),
  };
}
