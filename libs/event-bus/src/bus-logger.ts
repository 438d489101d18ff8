/**
 * Structured log sink the transports write to. Fields first, then the message, so a pino
 * `Logger` can be passed as is.
 */
export interface BusLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const drop = (): void => undefined;

/** Drops every line: the default, because failures that matter reach the caller as rejections. */
export const silentBusLogger: BusLogger = { debug: drop, info: drop, warn: drop, error: drop };
