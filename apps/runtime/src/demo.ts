import 'reflect-metadata';
import { RuntimeConfigError } from './config/load-runtime-config';
import { startDemo } from './demo/demo-runner';

/** `npm start`: sandbox + runtime + demo traffic on embedded defaults; Ctrl-C stops everything. */
async function main(): Promise<void> {
  const sandboxPort = process.env.SANDBOX_PORT;
  const demo = await startDemo({ sandboxPort: sandboxPort === undefined ? undefined : Number(sandboxPort) });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the demo\n`);
    demo.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof RuntimeConfigError ? `${error.message}\n` : `${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
