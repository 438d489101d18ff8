/**
 * Copies the files the compiled runtime reads beside its own code (dashboard templates, styles
 * and scripts) into dist/, which tsc leaves out: `npm run build` runs it after tsc and tsc-alias.
 *
 *   node -r @swc-node/register scripts/copy-build-assets.ts [root] [outDir]
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Folders tsconfig.build.json compiles; their non-TypeScript files are the assets. */
const SOURCE_DIRS = ['apps', 'libs', 'connectors'];
/** What tsconfig.build.json leaves out of the build, plus documentation. */
const SKIPPED_DIRS = new Set(['node_modules', 'test', 'testing']);
const SKIPPED_FILES = /\.(ts|md)$/;

/** Copies every asset under root's source folders to the same relative path under outDir; returns the relative paths. */
export function copyBuildAssets(root: string, outDir: string): string[] {
  const copied: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (entry.isFile() && !SKIPPED_FILES.test(entry.name)) {
        const target = join(outDir, relative(root, path));
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(path, target);
        copied.push(relative(root, path));
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(root, dir));
  return copied;
}

if (require.main === module) {
  const root = resolve(process.argv[2] ?? '.');
  const outDir = resolve(root, process.argv[3] ?? 'dist');
  const copied = copyBuildAssets(root, outDir);
  process.stdout.write(
    `copied ${copied.length} assets to ${relative(process.cwd(), outDir) || outDir}\n`,
  );
}
