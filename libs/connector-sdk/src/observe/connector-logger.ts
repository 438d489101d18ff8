/**
 * The logging a connector and its HTTP client need. A pino logger satisfies it as is; the runtime
 * passes a child logger bound to the connector id.
 */
export interface ConnectorLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const ignore = (): void => undefined;

/** A logger that drops everything: the default when the runtime gives none. */
export const silentLogger: ConnectorLogger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
};
