/** Prints the top functions of a V8 CPU profile: `npm run bench:profile -- <file.cpuprofile> [top]`. */
import { summarizeCpuProfile } from './lib/cpu-profile-summary';

const [file, top] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: npm run bench:profile -- <file.cpuprofile> [top]\n');
  process.exit(2);
}
const summary = summarizeCpuProfile(file, Number(top ?? 25));
for (const [title, entries] of [
  ['by self time', summary.bySelf],
  ['by total time', summary.byTotal],
] as const) {
  process.stdout.write(`\n${title}\n`);
  for (const entry of entries)
    process.stdout.write(
      `  self ${String(entry.selfPercent).padStart(5)}%  total ${String(entry.totalPercent).padStart(5)}%  ${entry.name}\n`,
    );
}
