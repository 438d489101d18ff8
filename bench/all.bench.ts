/**
 * `npm run bench`: the JSONata suite, then end to end on the memory bus and, when KAFKA_BROKERS is
 * set, on Kafka with Postgres execution records. Options after `--` go to both suites, e.g.
 * `npm run bench -- --record` appends the figures to docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const passThrough = process.argv.slice(2);
const durable = (process.env.KAFKA_BROKERS ?? '') !== '';
const suites: Array<[string, string[]]> = [
  ['jsonata.bench.ts', passThrough],
  ['e2e.bench.ts', ['--mode', durable ? 'both' : 'memory', ...passThrough]],
];
if (!durable)
  process.stdout.write(
    'KAFKA_BROKERS is not set: the durable mode is skipped (scripts/kafka-local.sh start)\n',
  );
for (const [file, args] of suites) {
  const result = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, file), ...args],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) {
    process.stderr.write(`${file} failed (exit ${result.status})\n`);
    process.exit(result.status ?? 1);
  }
}
