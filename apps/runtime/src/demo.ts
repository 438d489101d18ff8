import 'reflect-metadata';
import { RuntimeConfigError } from './config/load-runtime-config';
import { startDemo } from './demo/demo-runner';

/** `npm start`: sandbox + runtime + demo traffic on embedded defaults; Ctrl-C stops everything. */
async function main(): Promise<void> {
  const sandboxPort = process.env.SANDBOX_PORT;
  // The demo's banner is what people read first: routine info lines (routes mapped, modules
  // initialised) stay out unless LOG_LEVEL asks for them.
  const env = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  const demo = await startDemo({ env, sandboxPort: sandboxPort === undefined ? undefined : Number(sandboxPort) });
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
