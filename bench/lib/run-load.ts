import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { LoadPlan, LoadResult } from './load-plan';

/** Runs the load generator in a child process and resolves with its per-request record. */
export function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const child = fork(resolve(__dirname, '../load-generator.process.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((done, fail) => {
    let result: LoadResult | undefined;
    child.once('message', (message) => {
      result = message as LoadResult;
    });
    child.once('error', fail);
    child.once('exit', (code) => {
      if (result !== undefined) done(result);
      else fail(new Error(`load generator exited with code ${code} before reporting`));
    });
    child.send(plan);
  });
}
