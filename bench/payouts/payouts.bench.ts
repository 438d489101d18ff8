/**
 * Payouts benchmark: one mass-payout batch through libs/payouts against the sandbox's Payoneer
 * (started in-process, over HTTP on loopback) and a fresh PostgreSQL schema — create, validate
 * (payee status at Payoneer), submit in chunks, then poll statuses until every item is paid.
 * Figures are payout items per second per phase; the sandbox's ledger is read back to check that
 * every item was paid exactly once.
 *
 *   npm run bench:payouts -- [--items 2000] [--payees 100] [--chunk 50] [--poll-concurrency n]
 *                            [--root <checkout>] [--json out.json] [--record]
 *
 * --root runs that checkout's libs/payouts and sandbox (bench:compare's base and head);
 * --poll-concurrency sets statusPollConcurrency (revisions without it poll one at a time).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type PayoutLine } from '@switchboard/payouts';
// eslint-disable-next-line no-restricted-imports -- the lib's sandbox adapters (gateway, payee table) are test tooling, deliberately not in its public door.
import type * as PayoutTestBedModule from '../../libs/payouts/src/testing/payout-test-bed';
import { appendResults, markdownTable, numberOption, parseArgs } from '../lib/bench-report';

const MAX_ITEMS = 20_000;
/** Sandbox Payoneer settles a payout after this long on its (frozen, advanced by hand) clock. */
const SETTLE_SECONDS = 10;

interface Phase {
  name: string;
  items: number;
  ms: number;
}

/** What `--json` writes: every phase, then the whole batch; `perSecond` counts payout items. */
export interface PayoutPhaseResult extends Phase {
  perSecond: number;
}

interface LedgerPayout {
  clientReferenceId: string;
  status: string;
}

function payoutLines(items: number, payees: number): PayoutLine[] {
  return Array.from({ length: items }, (_, index) => {
    const party = `P-${String(index % payees).padStart(5, '0')}`;
    return {
      businessReference: `BENCH-${String(index).padStart(6, '0')}`,
      partyReference: party,
      // Decimal strings, never floats: 10.01 … 109.99.
      amount: `${10 + (index % 100)}.${String((index * 7) % 100).padStart(2, '0')}`,
      currency: 'USD',
      description: `bench payout ${index} to ${party}`,
    };
  });
}

async function timed<T>(
  phases: Phase[],
  name: string,
  items: number,
  work: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const result = await work();
  const phase = { name, items, ms: performance.now() - started };
  phases.push(phase);
  process.stdout.write(
    `${name}: ${items} items in ${Math.round(phase.ms)} ms (${perSecond(phase)}/s)\n`,
  );
  return result;
}

const perSecond = (phase: Phase): number =>
  phase.ms === 0 ? 0 : Math.round((phase.items / phase.ms) * 1000);

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const items = numberOption(options, 'items', 2_000);
  const payees = Math.max(1, numberOption(options, 'payees', 100));
  const chunkSize = numberOption(options, 'chunk', 50);
  if (!Number.isInteger(items) || items < 1 || items > MAX_ITEMS)
    throw new Error(`--items must be an integer from 1 to ${MAX_ITEMS}, got ${items}`);
  const pollConcurrency = options.has('poll-concurrency')
    ? { statusPollConcurrency: numberOption(options, 'poll-concurrency', 1) }
    : {};

  const root = resolve(options.get('root') ?? process.cwd());
  const { startPayoutTestBed } = (await import(
    join(root, 'libs/payouts/src/testing/payout-test-bed')
  )) as typeof PayoutTestBedModule;
  const bed = await startPayoutTestBed({
    chunkSize,
    ...pollConcurrency,
    initialBalances: { USD: '100000000.00' },
  });
  const phases: Phase[] = [];
  let ledgerPaid = 0;
  let ledgerDuplicates = 0;
  let itemsPaid = 0;
  try {
    for (let n = 0; n < Math.min(payees, items); n += 1) {
      const party = `P-${String(n).padStart(5, '0')}`;
      await bed.control('/payoneer/payees', { payeeId: `PAYEE-${party}` });
      bed.payees.set(party, `PAYEE-${party}`);
    }
    const { batches, submission, tracker } = bed.instance;
    const view = await timed(phases, 'create batch (validate lines, store items)', items, () =>
      batches.createBatch({
        reference: `BENCH-${Date.now()}`,
        source: 'api',
        createdBy: 'bench',
        lines: payoutLines(items, payees),
      }),
    );
    const batchId = view.batch.id;
    const queued = await timed(phases, 'queue (payee checks at Payoneer)', items, () =>
      batches.queueBatch(batchId, 'bench'),
    );
    if (queued.queued !== items)
      throw new Error(`expected ${items} queued items, got ${JSON.stringify(queued)}`);
    await timed(phases, `submit (chunks of ${chunkSize})`, items, async () => {
      for (;;) {
        const report = await submission.processQueues();
        if (report.paused.length > 0) throw new Error(`queue paused: ${report.paused.join(', ')}`);
        if (report.submitted === 0) break;
      }
    });
    await bed.control('/clock/advance', { seconds: SETTLE_SECONDS });
    await timed(phases, 'status polling until paid', items, async () => {
      for (;;) {
        const report = await tracker.pollAwaitingNews();
        if (report.checked === 0) break;
      }
    });
    itemsPaid = (await batches.getBatch(batchId)).counts.paid ?? 0;
    const ledger = (
      (await bed.control('/payouts', undefined, 'GET')) as { payouts: LedgerPayout[] }
    ).payouts;
    const references = new Set(ledger.map((payout) => payout.clientReferenceId));
    ledgerDuplicates = ledger.length - references.size;
    ledgerPaid = ledger.filter((payout) => payout.status.toLowerCase() === 'transferred').length;
  } finally {
    await bed.close();
  }

  const total: Phase = {
    name: 'whole batch (create → paid)',
    items,
    ms: phases.reduce((sum, phase) => sum + phase.ms, 0),
  };
  const table = [
    markdownTable(
      ['phase', 'items', 'seconds', 'items/s'],
      [...phases, total].map((phase) => [
        phase.name,
        phase.items,
        Math.round(phase.ms / 100) / 10,
        perSecond(phase),
      ]),
    ),
    '',
    `Items paid (stored): ${itemsPaid} of ${items}; sandbox ledger: ${ledgerPaid} transferred, ${ledgerDuplicates} duplicate client reference ids.`,
  ].join('\n');
  process.stdout.write(`\n${table}\n`);
  if (itemsPaid !== items || ledgerPaid !== items || ledgerDuplicates !== 0) {
    throw new Error(
      `not every item was paid exactly once: ${itemsPaid} stored as paid, ${ledgerPaid} transferred, ${ledgerDuplicates} duplicates`,
    );
  }
  const json = options.get('json');
  if (json !== undefined)
    writeFileSync(
      json,
      JSON.stringify(
        [...phases, total].map((phase): PayoutPhaseResult => ({
          ...phase,
          perSecond: perSecond(phase),
        })),
        null,
        2,
      ),
    );
  if (options.has('record')) {
    appendResults(
      `Payouts: one ${items}-item batch against the sandbox Payoneer`,
      `npm run bench:payouts -- ${process.argv.slice(2).join(' ')}`,
      table,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
