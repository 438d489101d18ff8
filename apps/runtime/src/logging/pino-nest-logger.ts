import type { LoggerService } from '@nestjs/common';
import { pino, type Logger, type LevelWithSilent } from 'pino';

/** Paths censored in every log line, whatever logs it. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.secret',
  '*.value',
  '*.token',
];

/** The runtime's root pino logger: JSON lines on stdout at `level`, secrets censored. */
export function createRootLogger(
  level: LevelWithSilent,
  destination?: pino.DestinationStream,
): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's logging onto one pino logger: `new Logger('Context').warn(...)` becomes a JSON line with
 * `context`, an object or Error first argument becomes fields (`err` for an Error), and Nest's
 * exception handlers' `error(message, stack)` an `err` with that stack.
 *
 * Deliberately without per-request context: binding a request's child logger to everything the
 * request runs needs an AsyncLocalStorage, and once one is in use Node (20) runs promise hooks
 * for every promise in the process; the runtime makes dozens per event, which cost ≈ 10 % of its
 * CPU at 500 events/s (docs/benchmarks.md, finding 23). Log lines say what they are about
 * themselves (flow, event, connector, route).
 */
export class PinoNestLogger implements LoggerService {
  constructor(readonly logger: Logger) {}

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  /** Nest passes the context (a logger's name) last; anything between is printf-style arguments. */
  private write(level: Level, message: unknown, optionalParams: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let params = optionalParams;
    if (optionalParams.length > 0) {
      fields.context = optionalParams[optionalParams.length - 1];
      params = optionalParams.slice(0, -1);
    }
    if (message instanceof Error) {
      fields.err = message;
      this.logger[level](fields, ...(params as []));
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level](Object.assign(fields, message), ...(params as []));
    } else if (level === 'error' && isStackOnly(params)) {
      // Nest's exception handlers call error(message, stack[, context]).
      const err = new Error(String(message));
      err.stack = params[0] as string;
      fields.err = err;
      this.logger.error(fields);
    } else {
      this.logger[level](fields, String(message), ...(params as []));
    }
  }
}

function isStackOnly(params: unknown[]): boolean {
  return params.length === 1 && typeof params[0] === 'string' && /\n\s*at /.test(params[0]);
}
