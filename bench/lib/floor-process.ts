import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { spawnListening, stopChild } from './listening-process';

/** bench/floor.process.ts in its own process: the harness's floor, benchmarked like the runtime (`--mode floor`). */
export class FloorProcess {
  private child: ChildProcess | undefined;
  url = '';

  constructor(
    private readonly options: {
      sinkUrl: string;
      webhookSecret: string;
      nodeFlags?: string[];
      mapping?: 'js' | 'jsonata';
    },
  ) {}

  get pid(): number {
    if (this.child?.pid === undefined) throw new Error('the floor process is not running');
    return this.child.pid;
  }

  async start(): Promise<void> {
    const benchDir = resolve(__dirname, '..');
    const started = await spawnListening(
      [
        '-r',
        '@swc-node/register',
        ...(this.options.nodeFlags ?? []),
        resolve(benchDir, 'floor.process.ts'),
        this.options.sinkUrl,
      ],
      {
        name: 'floor process',
        cwd: resolve(benchDir, '..'),
        env: {
          ...process.env,
          SB_BENCH_WEBHOOK_SECRET: this.options.webhookSecret,
          SB_BENCH_FLOOR_MAPPING: this.options.mapping ?? 'js',
        },
      },
    );
    this.child = started.child;
    this.url = started.url;
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}
