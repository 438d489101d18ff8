import { relative } from 'node:path';
import { Command } from 'commander';
import { runMappingFixtures } from '@switchboard/flow-engine';
import { collectFiles } from '../collect-files';

/** `sb test [paths...]`: runs the mapping fixtures (`*.test.yaml`) and reports each case. */
export function testCommand(): Command {
  return new Command('test')
    .description('run mapping fixtures (*.test.yaml beside each .jsonata)')
    .argument('[paths...]', 'test files or folders', ['mappings'])
    .action(async (paths: string[]) => {
      const { files, missing } = await collectFiles(paths, /\.test\.ya?ml$/);
      let passed = 0;
      let failed = missing.length;
      for (const path of missing) console.log(`✗ ${path}: no such file or folder`);
      if (files.length === 0 && missing.length === 0) {
        console.log(`✗ no *.test.yaml files in ${paths.join(', ')}`);
        failed += 1;
      }
      for (const file of files) {
        const shownFile = relative(process.cwd(), file);
        console.log(shownFile);
        try {
          for (const result of await runMappingFixtures(shownFile)) {
            if (result.passed) {
              passed += 1;
              console.log(`  ✓ ${result.caseName}`);
            } else {
              failed += 1;
              console.log(`  ✗ ${result.caseName}`);
              if (result.message !== undefined) console.log(indent(result.message, '      '));
            }
          }
        } catch (error) {
          // A malformed test file is a failure of its own, and the other files still run.
          failed += 1;
          console.log(`  ✗ ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      console.log(`${passed} passed, ${failed} failed`);
      if (failed > 0) process.exitCode = 1;
    });
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
