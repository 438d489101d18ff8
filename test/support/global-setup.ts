import { obtainKafka } from './kafka';
import { obtainPostgres } from './postgres';

// Shared services for the whole e2e run, started once here and stopped in global-teardown.ts.
// Jest runs both files in its main process; suites run in workers forked afterwards, so they
// see what this file puts in process.env (e.g. KAFKA_BROKERS) and nothing else from here.

type Teardown = () => Promise<void>;
const TEARDOWNS = Symbol.for('switchboard.e2e.teardowns');

/** Registers work for global-teardown.ts; runs in reverse order of registration. */
export function registerGlobalTeardown(name: string, teardown: Teardown): void {
  const registry = globalThis as unknown as {
    [TEARDOWNS]?: { name: string; teardown: Teardown }[];
  };
  (registry[TEARDOWNS] ??= []).push({ name, teardown });
}

/** The registered teardowns, last first, emptied. */
export function takeGlobalTeardowns(): { name: string; teardown: Teardown }[] {
  const registry = globalThis as unknown as {
    [TEARDOWNS]?: { name: string; teardown: Teardown }[];
  };
  return (registry[TEARDOWNS]?.splice(0) ?? []).reverse();
}

export default async function globalSetup(): Promise<void> {
  const postgres = await obtainPostgres();
  process.env['DATABASE_URL'] = postgres.url;
  registerGlobalTeardown('postgres', postgres.stop);
  process.stderr.write(`\ne2e: PostgreSQL from ${postgres.source}\n`);
  const started = Date.now();
  const kafka = await obtainKafka();
  process.env['KAFKA_BROKERS'] = kafka.brokers.join(',');
  registerGlobalTeardown('kafka', kafka.stop);
  process.stderr.write(
    `\ne2e: Kafka from ${kafka.source} at ${kafka.brokers.join(',')} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
}
