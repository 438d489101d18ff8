import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Starts `node <args>` and resolves with the child and the URL once it prints "listening on <url>". */
export async function spawnListening(
  args: string[],
  options: SpawnOptions & { name: string },
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'inherit'] });
  const stdout = child.stdout;
  const url = await new Promise<string>((done, fail) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match !== null) {
        stdout.off('data', onData);
        stdout.resume();
        done(match[1]!);
      }
    };
    stdout.on('data', onData);
    child.once('exit', (code) =>
      fail(new Error(`the ${options.name} exited with code ${code} during start:\n${output}`)),
    );
  });
  return { child, url };
}

/** Stops a child with SIGTERM, then SIGKILL after `killAfterMs`; resolves once it exited. */
export async function stopChild(
  child: ChildProcess | undefined,
  killAfterMs = 20_000,
): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  await exited;
  clearTimeout(timer);
}
