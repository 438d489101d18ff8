/**
 * End-to-end benchmark: signed webhook → ingress → bus → JSONata mapping → schema validation →
 * HTTP POST to a local sink, with the runtime and the load generator in separate processes.
 *
 *   npm run bench:e2e -- [--mode memory|durable|both|floor|floor-jsonata] [--rates 500,2500,0] [--seconds 15] [--max 60000]
 *                        [--connections 32] [--runtime-from dist|ts] [--record] [--json out.json]
 *                        [--root <checkout>] [--cpu-prof <dir>] [--timeline <file.csv>] [--warmup 10]
 *                        [--instances 1]
 *
 * A rate of 0 is saturation. `durable` needs KAFKA_BROKERS (scripts/kafka-local.sh start). `floor`
 * runs the same steps against bench/floor.process.ts instead of the runtime: the least any runtime
 * must do per event on this harness, to read the runtime's figures against; `floor-jsonata` the
 * same with the reference JSONata mapping in place of the hand-written one.
 * --runtime-from: `dist` builds the checkout and runs it as `npm run runtime:prod` does (the default
 * when the checkout has that script), `ts` as `npm run runtime` does (TypeScript compiled at load).
 * --warmup: seconds of load at 500/s before the reported steps (JIT, pools, consumer group; the
 * runtime's CPU per event still drops by a quarter over the first ten seconds). Default 10.
 * --instances N runs N processes behind the load generator, which shares its connections out over
 * them (as a load balancer would): runtime instances of one deployment (one database schema, one
 * flow, one consumer group; memory mode: a bus each), or N floor processes. CPU is their sum, RSS
 * the largest instance's.
 * --timeline writes every reported event's send time (ms since its step began), step, ack and
 * accept→delivery latency as CSV, to see whether a tail is spread out or comes in stalls.
 * SB_BENCH_PRELOAD=<file> preloads a diagnostic into the runtime (bench/kafka-produce-probe.preload.ts,
 * bench/memory-probe.preload.ts).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BenchSink } from './lib/bench-sink';
import { appendResults, markdownTable, numberOption, parseArgs } from './lib/bench-report';
import { summarizeLatencies, type LatencySummary } from './lib/latency-summary';
import type { LoadPlan } from './lib/load-plan';
import { ProcessSampler, type ProcessUsage } from './lib/process-sampler';
import { runLoad } from './lib/run-load';
import { FloorProcess } from './lib/floor-process';
import {
  buildRuntime,
  productionRuntimeFrom,
  RuntimeProcess,
  type RuntimeFrom,
} from './lib/runtime-process';

const WEBHOOK_SECRET = 'whsec_bench_only';
const DRAIN_TIMEOUT_MS = 30_000;

/** Figures of one load step. */
export interface StepResult {
  /** The mode, with `×N` when N instances shared the load. */
  mode: string;
  /** How the runtime ran: compiled build or TypeScript sources; `floor` for the floor process. */
  runtimeFrom: RuntimeFrom | 'floor';
  offered: string;
  seconds: number;
  sent: number;
  accepted: number;
  /** Answered 503: the runtime's back-pressure (retry later), a refusal that loses nothing. */
  refused: number;
  /** Neither accepted nor refused: other statuses and failed requests. */
  errors: number;
  firstError: string | undefined;
  delivered: number;
  lost: number;
  duplicates: number;
  /** Events delivered per second, first send to last delivery. */
  deliveredPerSecond: number;
  acceptToDelivery: LatencySummary;
  ingressAck: LatencySummary;
  /** CPU summed over the instances; RSS of the largest instance. */
  runtime: ProcessUsage;
}

let nextOrderId = (Date.now() % 1_000_000) * 1_000_000;

/** The floor process, with the hand-written mapping (`floor`) or the reference JSONata one (`floor-jsonata`). */
function isFloor(mode: string): mode is 'floor' | 'floor-jsonata' {
  return mode === 'floor' || mode === 'floor-jsonata';
}

/** What a step loads: the runtime, or the floor process. */
type BenchedProcess = Pick<RuntimeProcess, 'url' | 'pid'>;

async function runStep(
  mode: string,
  runtimeFrom: StepResult['runtimeFrom'],
  sink: BenchSink,
  runtimes: BenchedProcess[],
  plan: Omit<LoadPlan, 'firstOrderId' | 'urls'>,
  /** CSV rows (step, sent ms, ack ms, accept→delivery ms) are appended here when given. */
  timeline?: string[],
): Promise<StepResult> {
  const firstOrderId = nextOrderId;
  nextOrderId += plan.maxRequests;
  sink.expect(firstOrderId, plan.maxRequests);
  const samplers = runtimes.map((runtime) => new ProcessSampler(runtime.pid));
  samplers.forEach((sampler) => sampler.start());
  const load = await runLoad({
    ...plan,
    urls: runtimes.map((runtime) => runtime.url),
    firstOrderId,
  });
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < load.sent; i += 1) {
    if (load.status[i] === 202) accepted += 1;
    else if (load.status[i] === 503) refused += 1;
  }
  await sink.waitFor(accepted, DRAIN_TIMEOUT_MS);
  const runtimeUsage = combinedUsage(samplers.map((sampler) => sampler.stop()));
  const deliveredAt = sink.deliveries();
  const latencies = new Float64Array(load.sent);
  const acks = new Float64Array(load.sent);
  let firstSent = Infinity;
  let lastDelivered = 0;
  let lost = 0;
  for (let i = 0; i < load.sent; i += 1) {
    latencies[i] = deliveredAt[i]! - load.sentAt[i]!;
    acks[i] = load.answeredAt[i]! - load.sentAt[i]!;
    firstSent = Math.min(firstSent, load.sentAt[i]!);
    if (!Number.isNaN(deliveredAt[i]!)) lastDelivered = Math.max(lastDelivered, deliveredAt[i]!);
    else if (load.status[i] === 202) lost += 1;
  }
  if (timeline !== undefined) {
    const step = `${mode} ${plan.rate === 0 ? 'saturation' : `${plan.rate}/s`}`;
    for (let i = 0; i < load.sent; i += 1) {
      timeline.push(
        `${step},${(load.sentAt[i]! - firstSent).toFixed(1)},${acks[i]!.toFixed(2)},${latencies[i]!.toFixed(2)}`,
      );
    }
  }
  return {
    mode: runtimes.length === 1 ? mode : `${mode} ×${runtimes.length}`,
    runtimeFrom,
    offered: plan.rate === 0 ? 'saturation' : `${plan.rate}/s`,
    seconds: Math.round(load.durationMs / 100) / 10,
    sent: load.sent,
    accepted,
    refused,
    errors: load.sent - accepted - refused,
    firstError: load.firstError,
    delivered: sink.delivered,
    lost,
    duplicates: sink.duplicates,
    deliveredPerSecond:
      sink.delivered === 0 ? 0 : Math.round(sink.delivered / ((lastDelivered - firstSent) / 1000)),
    acceptToDelivery: summarizeLatencies(latencies),
    ingressAck: summarizeLatencies(acks),
    runtime: runtimeUsage,
  };
}

/** CPU of all instances together; memory of the largest one (the RSS target is per instance). */
function combinedUsage(usages: ProcessUsage[]): ProcessUsage {
  return {
    cpuPercent: Math.round(usages.reduce((sum, usage) => sum + usage.cpuPercent, 0) * 10) / 10,
    rssMb: Math.max(...usages.map((usage) => usage.rssMb)),
    peakRssMb: Math.max(...usages.map((usage) => usage.peakRssMb)),
  };
}

/**
 * Runs the given load steps against the runtime in `mode` (or the floor process); resolves with
 * one result per step. With `instances` > 1 that many processes share the load: runtime instances
 * of one deployment (one database schema, one flow and consumer group), each with its own port.
 */
export async function benchEndToEnd(options: {
  mode: 'memory' | 'durable' | 'floor' | 'floor-jsonata';
  rates: number[];
  seconds: number;
  maxRequests: number;
  connections: number;
  root: string;
  /** `dist` expects the root built (buildRuntime). */
  runtimeFrom: RuntimeFrom;
  cpuProfileDir?: string;
  /** Length of the unreported warm-up step at 500/s. */
  warmupSeconds: number;
  /** Per-event CSV rows of the reported steps are appended here when given. */
  timeline?: string[];
  /** Processes sharing the load; default 1. */
  instances?: number;
}): Promise<StepResult[]> {
  const kafkaBrokers = options.mode === 'durable' ? process.env.KAFKA_BROKERS : undefined;
  if (options.mode === 'durable' && (kafkaBrokers === undefined || kafkaBrokers === '')) {
    throw new Error(
      '--mode durable needs KAFKA_BROKERS (start a broker with scripts/kafka-local.sh start)',
    );
  }
  const sink = new BenchSink();
  const sinkUrl = await sink.start();
  const nodeFlags =
    options.cpuProfileDir === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`];
  const runtimes: Array<FloorProcess | RuntimeProcess> = [];
  for (let instance = 0; instance < (options.instances ?? 1); instance += 1) {
    runtimes.push(
      isFloor(options.mode)
        ? new FloorProcess({
            sinkUrl,
            webhookSecret: WEBHOOK_SECRET,
            nodeFlags,
            mapping: options.mode === 'floor' ? 'js' : 'jsonata',
          })
        : new RuntimeProcess(
            {
              root: options.root,
              sinkUrl,
              databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
              kafkaBrokers,
              webhookSecret: WEBHOOK_SECRET,
              from: options.runtimeFrom,
              nodeFlags,
              preload: process.env.SB_BENCH_PRELOAD
                ? resolve(process.env.SB_BENCH_PRELOAD)
                : undefined,
            },
            runtimes[0] as RuntimeProcess | undefined,
          ),
    );
  }
  const runtimeFrom = isFloor(options.mode) ? 'floor' : options.runtimeFrom;
  const results: StepResult[] = [];
  try {
    // The first instance prepares the database; the others join it.
    for (const runtime of runtimes) await runtime.start();
    const base = {
      webhookSecret: WEBHOOK_SECRET,
      connections: options.connections,
    };
    // Warm-up (JIT, connection pools, consumer assignment); not reported.
    if (options.warmupSeconds > 0) {
      await runStep(options.mode, runtimeFrom, sink, runtimes, {
        ...base,
        rate: 500,
        seconds: options.warmupSeconds,
        maxRequests: Math.ceil(options.warmupSeconds * 500),
      });
    }
    for (const rate of options.rates) {
      const step = await runStep(
        options.mode,
        runtimeFrom,
        sink,
        runtimes,
        {
          ...base,
          rate,
          seconds: options.seconds,
          maxRequests: options.maxRequests,
        },
        options.timeline,
      );
      printStep(step);
      results.push(step);
    }
  } finally {
    // Peers first: the first instance drops the schema they share.
    for (const runtime of runtimes.slice().reverse()) await runtime.stop();
    await sink.stop();
  }
  return results;
}

function printStep(step: StepResult): void {
  process.stdout.write(
    `${step.mode} ${step.offered} (runtime from ${step.runtimeFrom}): delivered ${step.deliveredPerSecond}/s (${step.delivered}/${step.accepted} accepted, ${step.lost} lost, ${step.refused} refused with 503, ${step.errors} errors` +
      `${step.firstError === undefined ? '' : ` e.g. ${step.firstError}`}), accept→delivery p50 ${step.acceptToDelivery.p50} p95 ${step.acceptToDelivery.p95} p99 ${step.acceptToDelivery.p99} ms, ` +
      `runtime CPU ${step.runtime.cpuPercent}% RSS ${step.runtime.rssMb} MB (peak ${step.runtime.peakRssMb})\n`,
  );
}

/** The results as a Markdown table. */
export function stepTable(steps: StepResult[]): string {
  return markdownTable(
    [
      'mode',
      'offered',
      's',
      'accepted',
      'refused (503)',
      'errors',
      'lost',
      'dup',
      'delivered/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'ack p99 ms',
      'CPU %',
      'RSS MB (peak)',
    ],
    steps.map((s) => [
      s.mode,
      s.offered,
      s.seconds,
      s.accepted,
      s.refused,
      s.errors,
      s.lost,
      s.duplicates,
      s.deliveredPerSecond,
      s.acceptToDelivery.p50,
      s.acceptToDelivery.p95,
      s.acceptToDelivery.p99,
      s.ingressAck.p99,
      s.runtime.cpuPercent,
      `${s.runtime.rssMb} (${s.runtime.peakRssMb})`,
    ]),
  );
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const modeOption = options.get('mode') ?? 'memory';
  const modes = modeOption === 'both' ? (['memory', 'durable'] as const) : [modeOption];
  const rates = (options.get('rates') ?? '500,0').split(',').map((rate) => {
    const value = Number(rate);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`--rates must be numbers >= 0 (0 = saturation), got "${rate}"`);
    return value;
  });
  const root = resolve(options.get('root') ?? process.cwd());
  const runtimeFromOption = options.get('runtime-from');
  if (
    runtimeFromOption !== undefined &&
    runtimeFromOption !== 'dist' &&
    runtimeFromOption !== 'ts'
  ) {
    throw new Error(`--runtime-from must be dist or ts, got "${runtimeFromOption}"`);
  }
  const runtimeFrom = runtimeFromOption ?? productionRuntimeFrom(root);
  process.stdout.write(
    `runtime from ${runtimeFrom}${runtimeFromOption === undefined ? ` (${root}'s production start)` : ''}\n`,
  );
  if (runtimeFrom === 'dist') buildRuntime(root);
  const instances = numberOption(options, 'instances', 1);
  if (!Number.isInteger(instances) || instances < 1)
    throw new Error(`--instances must be a whole number >= 1, got "${options.get('instances')}"`);
  const steps: StepResult[] = [];
  const timelineFile = options.get('timeline');
  const timeline =
    timelineFile === undefined ? undefined : ['step,sent_ms,ack_ms,accept_to_delivery_ms'];
  for (const mode of modes) {
    if (mode !== 'memory' && mode !== 'durable' && !isFloor(mode))
      throw new Error(
        `--mode must be memory, durable, both, floor or floor-jsonata, got "${mode}"`,
      );
    steps.push(
      ...(await benchEndToEnd({
        mode,
        rates,
        seconds: numberOption(options, 'seconds', 15),
        maxRequests: numberOption(options, 'max', 60_000),
        connections: numberOption(options, 'connections', 32),
        root,
        runtimeFrom,
        cpuProfileDir: options.get('cpu-prof'),
        warmupSeconds: numberOption(options, 'warmup', 10),
        timeline,
        instances,
      })),
    );
  }
  if (timelineFile !== undefined) writeFileSync(timelineFile, `${timeline!.join('\n')}\n`);
  const table = stepTable(steps);
  process.stdout.write(`\n${table}\n`);
  const json = options.get('json');
  if (json !== undefined) writeFileSync(json, JSON.stringify(steps, null, 2));
  if (options.has('record'))
    appendResults('End to end', `npm run bench:e2e -- ${process.argv.slice(2).join(' ')}`, table);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
