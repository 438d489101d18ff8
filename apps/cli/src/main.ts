import { buildCli } from './cli.program';

buildCli()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(`sb: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
