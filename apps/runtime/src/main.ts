import 'reflect-metadata';
import { loadRuntimeConfig, RuntimeConfigError } from './config/load-runtime-config';
import { startRuntime } from './runtime';

/** The process people run: reads config/runtime.yaml (or SB_CONFIG) and the environment. */
async function main(): Promise<void> {
  const config = loadRuntimeConfig(process.env.SB_CONFIG ?? 'config/runtime.yaml', process.env);
  const runtime = await startRuntime(config);
  const bus = `${runtime.bus.transport}${runtime.bus.durable ? '' : ' (in-memory, not durable)'}`;
  process.stdout.write(
    `\nSwitchboard runtime listening on ${runtime.url}\n` +
      `  admin API   ${runtime.url}/api/flows   (OpenAPI: ${runtime.url}/api/docs)\n` +
      `  webhooks    ${runtime.url}/hooks/<connector>/<event>\n` +
      `  health      ${runtime.url}/health/ready\n` +
      `  bus         ${bus}\n\n`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: shutting down\n`);
    runtime.close().then(
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
