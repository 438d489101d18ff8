/**
 * Runs a benchmark suite against two revisions side by side and prints head/base ratios, so a
 * change's effect is one number from one run on one machine.
 *
 *   npm run bench:compare -- --base <git revision> [--head <revision>|working tree] [--suite jsonata|e2e|bus|payouts]
 *                            [suite options, e.g. --mode durable --rates 500,0 --seconds 10]
 *
 * Each revision is exported with `git archive` into a temporary folder (the repository itself is not
 * touched) that reuses this checkout's node_modules through a symlink. The bench harness is this
 * checkout's for both sides; only the code under test (runtime, libs, mappings) differs. The e2e
 * suite runs each revision's runtime the way that revision starts in production (compiled with its
 * `runtime:prod`, or from TypeScript when it has none; the table says which); `--runtime-from ts`
 * runs both from TypeScript.
 */
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { appendResults, markdownTable, parseArgs } from './lib/bench-report';
import type { StepResult } from './e2e.bench';
import type { VariantResult } from './jsonata.bench';
import type { PayoutPhaseResult } from './payouts/payouts.bench';

const REPO = resolve(__dirname, '..');
const SUITE_FILES: Record<string, string> = {
  jsonata: 'jsonata.bench.ts',
  e2e: 'e2e.bench.ts',
  bus: 'event-bus.bench.ts',
  payouts: 'payouts/payouts.bench.ts',
};

interface BusResult {
  publishPerSecond: number;
  consumePerSecond: number;
}

function checkout(revision: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sb-bench-${revision.replace(/[^\w.-]/g, '_')}-`));
  execFileSync('git', ['rev-parse', '--verify', `${revision}^{commit}`], {
    cwd: REPO,
    stdio: 'pipe',
  });
  execSync(
    `git archive --format=tar ${JSON.stringify(revision)} | tar -x -C ${JSON.stringify(dir)}`,
    { cwd: REPO, stdio: 'inherit' },
  );
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function runSuite(suite: string, root: string, passThrough: string[], label: string): unknown {
  const out = join(mkdtempSync(join(tmpdir(), 'sb-bench-out-')), `${label}.json`);
  process.stdout.write(`\n== ${suite} on ${label} (${root})\n`);
  // cwd = the revision's root, so its tsconfig maps @switchboard/* to that revision's libs.
  const result = spawnSync(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      join(__dirname, SUITE_FILES[suite]!),
      '--root',
      root,
      '--json',
      out,
      ...passThrough,
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: process.env,
    },
  );
  if (result.status !== 0)
    throw new Error(`${suite} benchmark on ${label} failed (exit ${result.status})`);
  return JSON.parse(readFileSync(out, 'utf8'));
}

const ratio = (head: number, base: number): string =>
  base === 0 || Number.isNaN(base) ? 'n/a' : `${Math.round((head / base) * 100) / 100}×`;

/** A named rate per row, base and head side by side, matched by name. */
function perSecondTable(
  columns: [name: string, base: string, head: string],
  base: Array<{ name: string; perSecond: number }>,
  head: Array<{ name: string; perSecond: number }>,
): string {
  return markdownTable(
    [...columns, 'head/base'],
    head.map((h) => {
      const b = base.find((candidate) => candidate.name === h.name);
      return [
        h.name,
        b?.perSecond ?? 'n/a',
        h.perSecond,
        b === undefined ? 'n/a' : ratio(h.perSecond, b.perSecond),
      ];
    }),
  );
}

function compareJsonata(base: VariantResult[], head: VariantResult[]): string {
  const named = (results: VariantResult[]) =>
    results.map(({ variant, perSecond }) => ({ name: variant, perSecond }));
  return perSecondTable(['variant', 'base /s', 'head /s'], named(base), named(head));
}

function compareBus(base: BusResult, head: BusResult): string {
  return markdownTable(
    ['Kafka bus', 'base /s', 'head /s', 'head/base'],
    [
      [
        'publish (concurrent callers)',
        base.publishPerSecond,
        head.publishPerSecond,
        ratio(head.publishPerSecond, base.publishPerSecond),
      ],
      [
        'consume (one group)',
        base.consumePerSecond,
        head.consumePerSecond,
        ratio(head.consumePerSecond, base.consumePerSecond),
      ],
    ],
  );
}

function comparePayouts(base: PayoutPhaseResult[], head: PayoutPhaseResult[]): string {
  return perSecondTable(['payouts phase', 'base items/s', 'head items/s'], base, head);
}

function compareEndToEnd(base: StepResult[], head: StepResult[]): string {
  const from = (steps: StepResult[]): string => steps[0]?.runtimeFrom ?? 'n/a';
  return `Runtime from: base ${from(base)}, head ${from(head)}.\n\n${markdownTable(
    [
      'mode',
      'offered',
      'delivered/s base → head',
      'ratio',
      'p99 ms base → head',
      'ratio',
      'CPU % base → head',
      'RSS MB base → head',
      'undelivered base → head',
    ],
    head.map((h, index) => {
      // The same step of the same plan: by position, so a rate given twice pairs each time.
      const b = [base[index], ...base].find(
        (candidate) => candidate?.mode === h.mode && candidate.offered === h.offered,
      );
      if (b === undefined)
        return [h.mode, h.offered, `n/a → ${h.deliveredPerSecond}`, 'n/a', '', '', '', '', ''];
      return [
        h.mode,
        h.offered,
        `${b.deliveredPerSecond} → ${h.deliveredPerSecond}`,
        ratio(h.deliveredPerSecond, b.deliveredPerSecond),
        `${b.acceptToDelivery.p99} → ${h.acceptToDelivery.p99}`,
        ratio(h.acceptToDelivery.p99, b.acceptToDelivery.p99),
        `${b.runtime.cpuPercent} → ${h.runtime.cpuPercent}`,
        `${b.runtime.rssMb} → ${h.runtime.rssMb}`,
        `${b.lost} → ${h.lost}`,
      ];
    }),
  )}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const own = new Set(['base', 'head', 'suite', 'record']);
  const options = parseArgs(argv);
  const passThrough: string[] = [];
  for (const [name, value] of options)
    if (!own.has(name)) passThrough.push(`--${name}`, ...(value === 'true' ? [] : [value]));
  const baseRevision = options.get('base');
  if (baseRevision === undefined)
    throw new Error('--base <git revision> is required (e.g. --base HEAD~1)');
  const suite = options.get('suite') ?? 'jsonata';
  if (!Object.keys(SUITE_FILES).includes(suite))
    throw new Error(`--suite must be ${Object.keys(SUITE_FILES).join(', ')}, got "${suite}"`);
  const headRevision = options.get('head');
  const dirs: string[] = [];
  try {
    const baseRoot = checkout(baseRevision);
    dirs.push(baseRoot);
    const headRoot = headRevision === undefined ? REPO : checkout(headRevision);
    if (headRevision !== undefined) dirs.push(headRoot);
    const headLabel = headRevision ?? 'working tree';
    const base = runSuite(suite, baseRoot, passThrough, baseRevision);
    const head = runSuite(suite, headRoot, passThrough, headLabel);
    const table =
      suite === 'jsonata'
        ? compareJsonata(base as VariantResult[], head as VariantResult[])
        : suite === 'bus'
          ? compareBus(base as BusResult, head as BusResult)
          : suite === 'payouts'
            ? comparePayouts(base as PayoutPhaseResult[], head as PayoutPhaseResult[])
            : compareEndToEnd(base as StepResult[], head as StepResult[]);
    process.stdout.write(`\n${baseRevision} → ${headLabel}\n${table}\n`);
    if (options.has('record'))
      appendResults(
        `Comparison ${baseRevision} → ${headLabel} (${suite})`,
        `npm run bench:compare -- ${argv.join(' ')}`,
        table,
      );
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
