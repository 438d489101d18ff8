import { type logCreator, logLevel } from 'kafkajs';
import type { BusLogger } from '../bus-logger';

/** Routes kafkajs's own log lines into a BusLogger instead of its default console output. */
export function kafkaLogCreator(logger: BusLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      // kafkajs stamps its own timestamp; the target logger adds one too.
      const { message, timestamp: _timestamp, logger: _source, ...fields } = log;
      const entry = { component: 'kafkajs', kafkajsNamespace: namespace, ...fields };
      if (level === logLevel.ERROR) logger.error(entry, message);
      else if (level === logLevel.WARN) logger.warn(entry, message);
      else if (level === logLevel.INFO) logger.info(entry, message);
      else logger.debug(entry, message);
    };
}
