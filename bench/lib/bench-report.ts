import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';

const RESULTS_FILE = resolve(__dirname, '../../docs/benchmarks.md');

/** The facts a benchmark figure means nothing without: machine, Node, revision, time. */
export function machineFacts(root = process.cwd()): string {
  let revision = 'unknown';
  try {
    revision = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    // The results file itself changes with every recorded run: it says nothing about the code measured.
    const dirty = execFileSync(
      'git',
      ['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)docs/benchmarks.md'],
      { cwd: root, encoding: 'utf8' },
    ).trim();
    if (dirty !== '') revision += ' + uncommitted changes';
  } catch (error) {
    revision = `unknown (${(error as Error).message.split('\n')[0]})`;
  }
  const cpu = cpus();
  return [
    `${new Date().toISOString()}`,
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
    `${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `Node ${process.version}`,
    // The machine is shared: its load says how much of it the benchmark had.
    `load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}`,
    `revision ${revision}`,
  ].join(' · ');
}

/** A Markdown table from rows of cells. */
export function markdownTable(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Appends one dated section (title, command, facts, body) to docs/benchmarks.md. */
export function appendResults(title: string, command: string, body: string): void {
  appendFileSync(
    RESULTS_FILE,
    `\n### ${title}\n\n${machineFacts()}\n\n\`${command}\`\n\n${body}\n`,
  );
  process.stdout.write(`results appended to ${RESULTS_FILE}\n`);
}

/** Reads `--name value` options; flags without a value are "true". */
export function parseArgs(argv: string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (!arg.startsWith('--'))
      throw new Error(`unexpected argument "${arg}" (options are --name value)`);
    const value = argv[index + 1];
    if (value === undefined || value.startsWith('--')) options.set(arg.slice(2), 'true');
    else {
      options.set(arg.slice(2), value);
      index += 1;
    }
  }
  return options;
}

/** A positive number option, with a clear error naming the option. */
export function numberOption(options: Map<string, string>, name: string, fallback: number): number {
  const raw = options.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`--${name} must be a number >= 0, got "${raw}"`);
  return value;
}
