import { Command } from 'commander';

interface ApiOptions {
  url: string;
  apiKey?: string;
}

/** `sb dlq list|replay`: the runtime's dead-letter queue through its admin API. */
export function dlqCommand(): Command {
  const withApi = (command: Command): Command =>
    command
      .option('--url <url>', 'runtime base URL', process.env.SB_URL ?? 'http://127.0.0.1:3000')
      .option('--api-key <key>', 'API key (or env SB_API_KEY)', process.env.SB_API_KEY);

  const list = withApi(new Command('list'))
    .description('list dead letters')
    .option('--flow <id>', 'only this flow')
    .option('--status <status>', 'pending | review | replayed | discarded', 'pending')
    .action(async (options: ApiOptions & { flow?: string; status: string }) => {
      const query = new URLSearchParams({ status: options.status, ...(options.flow ? { flowId: options.flow } : {}) });
      const page = (await call(options, 'GET', `/api/dlq?${query.toString()}`)) as { items: Array<Record<string, unknown>>; total: number };
      for (const item of page.items) {
        console.log(`${String(item.id)}  ${String(item.flowId)}@${String(item.flowVersion)}  key=${String(item.key)}  ${String(item.failureType)}: ${String(item.errorMessage)}`);
      }
      console.log(`${page.total} dead letter(s)`);
    });

  const replay = withApi(new Command('replay'))
    .description('replay one dead letter by id, or every pending one matching --flow')
    .argument('[id]', 'dead letter id')
    .option('--flow <id>', 'replay every pending dead letter of this flow')
    .option('--version <version>', 'original | current flow version', 'current')
    .option('--dry-run', 'show what would be replayed', false)
    .action(async (id: string | undefined, options: ApiOptions & { flow?: string; version: string; dryRun: boolean }) => {
      if (id === undefined && options.flow === undefined) {
        console.log('✗ give a dead letter id or --flow <id>');
        process.exitCode = 1;
        return;
      }
      const body = { version: options.version, dryRun: options.dryRun, ...(id === undefined ? { flowId: options.flow } : {}) };
      const result = (await call(options, 'POST', id === undefined ? '/api/dlq/replay' : `/api/dlq/${id}/replay`, body)) as {
        replayed: string[];
        failed?: Array<{ id: string; error: string }>;
      };
      for (const replayed of result.replayed) console.log(`${options.dryRun ? 'would replay' : 'replayed'} ${replayed}`);
      for (const failure of result.failed ?? []) console.log(`✗ ${failure.id}: ${failure.error}`);
      if ((result.failed ?? []).length > 0) process.exitCode = 1;
    });

  return new Command('dlq').description("the runtime's dead-letter queue").addCommand(list).addCommand(replay);
}

async function call(options: ApiOptions, method: string, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.apiKey !== undefined) headers['x-api-key'] = options.apiKey;
  let response: Response;
  try {
    response = await fetch(`${options.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new CliError(`cannot reach the runtime at ${options.url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  const json: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const message = (json as { message?: string } | undefined)?.message ?? text;
    throw new CliError(`${method} ${path} → ${response.status}: ${message}`);
  }
  return json;
}

/** A failure the CLI reports as one line, without a stack. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
