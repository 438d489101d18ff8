import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { ScaffoldError } from './scaffold-error';
import { scaffoldConnector } from './scaffold-connector';

const REPO_ROOT = resolve(__dirname, '../../../..');

interface JestReport {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { assertionResults: { fullName: string; status: string }[] }[];
}

/** Runs jest in a child process on one folder, as a developer would after scaffolding. */
function runJest(dir: string): Promise<JestReport> {
  return new Promise((resolveReport, reject) => {
    execFile(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules/jest/bin/jest.js'),
        '--ci',
        '--json',
        '--selectProjects',
        'unit',
        '--config',
        join(REPO_ROOT, 'jest.config.js'),
        dir,
      ],
      { cwd: REPO_ROOT, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        try {
          resolveReport(JSON.parse(stdout) as JestReport);
        } catch {
          reject(new Error(`jest did not report (${error?.message ?? 'no error'}):\n${stderr}`));
        }
      },
    );
  });
}

describe('scaffoldConnector', () => {
  const targetDir = join(
    REPO_ROOT,
    'connectors',
    `.scaffold-test-${randomBytes(4).toString('hex')}`,
  );

  afterAll(async () => {
    await rm(targetDir, { recursive: true, force: true });
  });

  it('generates a connector whose conformance test passes as generated, and fails once it misclassifies', async () => {
    const result = await scaffoldConnector({ id: 'acme-crm', targetDir });
    expect(result.files.sort()).toEqual([
      'acme-crm.connector.ts',
      'acme-crm.errors.ts',
      'actions/create-item.action.ts',
      'actions/get-item.action.ts',
      'actions/item.schema.ts',
      'index.ts',
      'test/acme-crm.conformance.spec.ts',
      'test/fake-acme-crm.server.ts',
      'triggers/item-events.trigger.ts',
    ]);

    const passing = await runJest(targetDir);
    expect(passing.numFailedTests).toBe(0);
    expect(passing.numPassedTests).toBeGreaterThanOrEqual(15);
    expect(passing.success).toBe(true);

    // The suite is not a rubber stamp: a classifier that calls a missing item transient is caught.
    const errorsFile = join(targetDir, 'acme-crm.errors.ts');
    const errors = await readFile(errorsFile, 'utf8');
    await writeFile(
      errorsFile,
      errors.replace(
        "new ConnectorError('business', `Acme Crm has no such item",
        "new ConnectorError('transient', `Acme Crm has no such item",
      ),
    );
    const failing = await runJest(targetDir);
    const failed = failing.testResults
      .flatMap((file) => file.assertionResults)
      .filter((test) => test.status === 'failed');
    expect(failed.map((test) => test.fullName)).toEqual([
      'connector "acme-crm" conformance error classification classifies an unknown item (404) as business',
    ]);
  }, 240_000);

  it('refuses an id that is not kebab-case and a folder that is not empty', async () => {
    await expect(
      scaffoldConnector({ id: 'AcmeCRM', targetDir: join(targetDir, 'other') }),
    ).rejects.toThrow('connector id must be kebab-case (e.g. acme-crm), got "AcmeCRM"');
    await mkdir(targetDir, { recursive: true });
    await writeFile(join(targetDir, 'keep.txt'), 'mine');
    await expect(scaffoldConnector({ id: 'acme-crm', targetDir })).rejects.toThrow(ScaffoldError);
    expect(await readFile(join(targetDir, 'keep.txt'), 'utf8')).toBe('mine');
  });
});
