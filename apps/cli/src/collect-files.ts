import { readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/** The files named on the command line, folders expanded recursively to the files they hold that match. */
export interface CollectedFiles {
  files: string[];
  /** Arguments that name nothing on disk. */
  missing: string[];
}

/** Expands file and folder arguments; files named directly are kept even when the pattern would skip them. */
export async function collectFiles(
  paths: readonly string[],
  pattern: RegExp,
): Promise<CollectedFiles> {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) {
      missing.push(path);
    } else if (info.isDirectory()) {
      const entries = await readdir(path, { recursive: true, withFileTypes: true });
      for (const entry of entries) {
        if (entry.isFile() && pattern.test(entry.name))
          files.add(resolve(entry.parentPath, entry.name));
      }
    } else {
      files.add(resolve(path));
    }
  }
  return { files: [...files].sort(), missing };
}
