import 'reflect-metadata';
import { startSandbox } from './sandbox';
import { readSandboxEnv } from './sandbox-env.config';

// `npm run sandbox`: one server for the Clarity, Payoneer and ERP simulators.
async function main(): Promise<void> {
  const config = readSandboxEnv(process.env);
  const sandbox = await startSandbox(config.options);
  if (config.scenario === 'merchant') {
    const response = await fetch(`${sandbox.urls.control}/scenarios/merchant`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    if (!response.ok)
      throw new Error(
        `seeding the demo merchant failed: HTTP ${response.status} ${await response.text()}`,
      );
  }
  const lines = [
    `Switchboard sandbox listening on ${sandbox.url} (seed ${sandbox.seed}; SANDBOX-ONLY credentials, never real ones)`,
    `  Clarity eCommerce  ${sandbox.urls.clarity}`,
    `  Payoneer           ${sandbox.urls.payoneer}`,
    `  ERP (ERPNext)      ${sandbox.urls.erp}`,
    `  Control API        ${sandbox.urls.control}`,
    `  OpenAPI docs       ${sandbox.urls.docs}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const shutdown = () => {
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`sandbox did not close cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sandbox failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
