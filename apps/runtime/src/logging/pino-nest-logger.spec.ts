import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { createRootLogger, PinoNestLogger } from './pino-nest-logger';

/** A logger writing JSON lines into `lines`, synchronously (pino writes to a plain stream at once). */
function capture(level: 'info' | 'warn' | 'trace' = 'info'): {
  logger: PinoNestLogger;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: new PinoNestLogger(createRootLogger(level, destination)), lines };
}

describe('PinoNestLogger', () => {
  it('writes a message with its context and level', () => {
    const { logger, lines } = capture();
    logger.log('worker started for order-sync@1', 'FlowWorkerService');
    logger.warn('consumer lagging', 'KafkaEventBus');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        context: 'FlowWorkerService',
        msg: 'worker started for order-sync@1',
      }),
      expect.objectContaining({ level: 40, context: 'KafkaEventBus', msg: 'consumer lagging' }),
    ]);
  });

  it('turns an object first argument into fields and keeps printf arguments', () => {
    const { logger, lines } = capture();
    logger.warn({ groupId: 'sb.flow.a', topic: 't' }, 'heartbeat failed after %d ms', 120, 'Bus');
    expect(lines[0]).toMatchObject({
      groupId: 'sb.flow.a',
      topic: 't',
      context: 'Bus',
      msg: 'heartbeat failed after 120 ms',
    });
  });

  it('logs an Error as err with its stack', () => {
    const { logger, lines } = capture();
    logger.error(new Error('bus down'), 'Runtime');
    expect(lines[0]).toMatchObject({ level: 50, context: 'Runtime', err: { message: 'bus down' } });
    expect((lines[0]!.err as { stack: string }).stack).toContain('pino-nest-logger.spec');
  });

  it("reads Nest's exception handler call, error(message, stack, context), as an err", () => {
    const { logger, lines } = capture();
    const stack = 'Error: boom\n    at handler (app.ts:1:1)';
    logger.error('boom', stack, 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({
      level: 50,
      context: 'ExceptionsHandler',
      err: { message: 'boom', stack },
    });
  });

  it('writes nothing below its level and maps verbose to trace', () => {
    const quiet = capture('warn');
    quiet.logger.log('not shown', 'X');
    quiet.logger.debug('not shown', 'X');
    expect(quiet.lines).toEqual([]);
    const chatty = capture('trace');
    chatty.logger.verbose('shown', 'X');
    expect(chatty.lines[0]).toMatchObject({ level: 10, msg: 'shown' });
  });

  it('censors secrets in fields', () => {
    const { logger, lines } = capture();
    logger.warn({ secret: { value: 'sk_live_1', name: 'payoneer.apiKey' } }, 'stored', 'Secrets');
    expect(lines[0]).toMatchObject({ secret: { value: '[redacted]', name: 'payoneer.apiKey' } });
  });

  it("serves as Nest's logger for `new Logger(context)` once installed", () => {
    const { logger, lines } = capture();
    Logger.overrideLogger(logger);
    try {
      new Logger('ConnectorRegistry').warn('plugin bench-shop has no webhook secret');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines[0]).toMatchObject({
      level: 40,
      context: 'ConnectorRegistry',
      msg: 'plugin bench-shop has no webhook secret',
    });
  });
});
