/**
 * Runs a benchmark suite against two revisions side by side and prints head/base ratios, so a
 * change's effect is one number from one run on one machine.
 *
 *   npm run bench:compare -- --base <git revision> [--head <revision>|working tree] [--suite jsonata|e2e|bus|payouts]
 *                            [--rounds N (e2e)] [suite options, e.g. --mode durable --rates 500,0 --seconds 10]
 *
 * `--rounds N` runs the e2e suite N times per side, alternating (base, head, then head, base, …) so
 * a machine that gets busier or quieter during the run weighs on both sides alike, and compares
 * the medians, with the spread of the per-round ratios.
 *
 * Each revision is exported with `git archive` into a temporary folder (the repository itself is not
 * touched) that reuses this checkout's node_modules through a symlink, or, when its package-lock.json
 * differs from this checkout's, gets its own (`npm ci`). The bench harness is this
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
  if (
    readFileSync(join(dir, 'package-lock.json'), 'utf8') ===
    readFileSync(join(REPO, 'package-lock.json'), 'utf8')
  ) {
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  } else {
    process.stdout.write(
      `${revision} locks other dependencies than this checkout: npm ci in ${dir}\n`,
    );
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  }
  return dir;
}

function runSuite(suite: string, root: string, passThrough: string[], label: string): unknown {
  const out = join(
    mkdtempSync(join(tmpdir(), 'sb-bench-out-')),
    `${label.replace(/[^\w.-]+/g, '_')}.json`,
  );
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

/** The median of `values` (the mean of the middle two for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : Math.round(((sorted[middle - 1]! + sorted[middle]!) / 2) * 100) / 100;
}

/** One step's figures over the rounds: medians, and the most undelivered events of any round. */
interface StepSummary {
  mode: string;
  offered: string;
  deliveredPerSecond: number;
  p99: number;
  cpuPercent: number;
  rssMb: number;
  lost: number;
}

function summarise(rounds: StepResult[][], index: number): StepSummary | undefined {
  const steps = rounds.map((steps) => steps[index]).filter((step) => step !== undefined);
  const first = steps[0];
  if (first === undefined) return undefined;
  return {
    mode: first.mode,
    offered: first.offered,
    deliveredPerSecond: median(steps.map((step) => step.deliveredPerSecond)),
    p99: median(steps.map((step) => step.acceptToDelivery.p99)),
    cpuPercent: median(steps.map((step) => step.runtime.cpuPercent)),
    rssMb: median(steps.map((step) => step.runtime.rssMb)),
    lost: Math.max(...steps.map((step) => step.lost)),
  };
}

/** "0.89–1.12×": the lowest and highest head/base ratio of one figure over the rounds. */
function ratioSpread(
  base: StepResult[][],
  head: StepResult[][],
  figure: (step: StepResult) => number,
  index: number,
): string {
  const ratios = head.flatMap((steps, round) => {
    const h = steps[index];
    const b = base[round]?.[index];
    return h === undefined || b === undefined || figure(b) === 0 ? [] : [figure(h) / figure(b)];
  });
  if (ratios.length === 0) return 'n/a';
  const low = Math.round(Math.min(...ratios) * 100) / 100;
  const high = Math.round(Math.max(...ratios) * 100) / 100;
  return `${low}–${high}×`;
}

function compareEndToEnd(base: StepResult[][], head: StepResult[][]): string {
  const from = (rounds: StepResult[][]): string => rounds[0]?.[0]?.runtimeFrom ?? 'n/a';
  const rounds = head.length;
  const spread = rounds > 1;
  const heading =
    `Runtime from: base ${from(base)}, head ${from(head)}.` +
    (spread
      ? ` Medians of ${rounds} rounds per side, run alternately (base first in odd rounds, head first in even ones); "per round" is the lowest–highest head/base ratio of the rounds.`
      : '');
  const header = [
    'mode',
    'offered',
    'delivered/s base → head',
    'ratio',
    ...(spread ? ['per round'] : []),
    'p99 ms base → head',
    'ratio',
    'CPU % base → head',
    'ratio',
    ...(spread ? ['per round'] : []),
    'RSS MB base → head',
    'undelivered base → head',
  ];
  return `${heading}\n\n${markdownTable(
    header,
    (head[0] ?? []).map((_, index) => {
      const h = summarise(head, index)!;
      // The same step of the same plan: by position, so a rate given twice pairs each time.
      const b = summarise(base, index);
      if (b === undefined || b.mode !== h.mode || b.offered !== h.offered)
        return [h.mode, h.offered, `n/a → ${h.deliveredPerSecond}`, 'n/a'].concat(
          Array<string>(header.length - 4).fill(''),
        );
      return [
        h.mode,
        h.offered,
        `${b.deliveredPerSecond} → ${h.deliveredPerSecond}`,
        ratio(h.deliveredPerSecond, b.deliveredPerSecond),
        ...(spread ? [ratioSpread(base, head, (step) => step.deliveredPerSecond, index)] : []),
        `${b.p99} → ${h.p99}`,
        ratio(h.p99, b.p99),
        `${b.cpuPercent} → ${h.cpuPercent}`,
        ratio(h.cpuPercent, b.cpuPercent),
        ...(spread ? [ratioSpread(base, head, (step) => step.runtime.cpuPercent, index)] : []),
        `${b.rssMb} → ${h.rssMb}`,
        `${b.lost} → ${h.lost}`,
      ];
    }),
  )}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const own = new Set(['base', 'head', 'suite', 'record', 'rounds']);
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
  const rounds = Number(options.get('rounds') ?? '1');
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(
      `--rounds must be a whole number of at least 1, got "${options.get('rounds')}"`,
    );
  if (rounds > 1 && suite !== 'e2e')
    throw new Error(`--rounds is for the e2e suite only, got --suite ${suite}`);
  const dirs: string[] = [];
  try {
    const baseRoot = checkout(baseRevision);
    dirs.push(baseRoot);
    const headRoot = headRevision === undefined ? REPO : checkout(headRevision);
    if (headRevision !== undefined) dirs.push(headRoot);
    const headLabel = headRevision ?? 'working tree';
    const baseRuns: unknown[] = [];
    const headRuns: unknown[] = [];
    for (let round = 1; round <= rounds; round++) {
      const tag = rounds > 1 ? ` round ${round}/${rounds}` : '';
      const runBase = (): number =>
        baseRuns.push(runSuite(suite, baseRoot, passThrough, `${baseRevision}${tag}`));
      const runHead = (): number =>
        headRuns.push(runSuite(suite, headRoot, passThrough, `${headLabel}${tag}`));
      if (round % 2 === 1) {
        runBase();
        runHead();
      } else {
        runHead();
        runBase();
      }
    }
    const [base, head] = [baseRuns[0], headRuns[0]];
    const table =
      suite === 'jsonata'
        ? compareJsonata(base as VariantResult[], head as VariantResult[])
        : suite === 'bus'
          ? compareBus(base as BusResult, head as BusResult)
          : suite === 'payouts'
            ? comparePayouts(base as PayoutPhaseResult[], head as PayoutPhaseResult[])
            : compareEndToEnd(baseRuns as StepResult[][], headRuns as StepResult[][]);
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
