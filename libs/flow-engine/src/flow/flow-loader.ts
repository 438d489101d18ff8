import { readFile, readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type CompiledFlow } from './compiled-flow';
import { compileFlowSource, type ClaimedFlowId } from './flow-file-compiler';
import {
  type FlowFileResult,
  type FlowLoadOptions,
  type FlowLoadResult,
} from './flow-load-options';
import { FlowValidationError } from './flow-validation-error';

const FLOW_FILE = /\.ya?ml$/;

/** Loads, validates and compiles every `*.yaml`/`*.yml` flow under `flowsDir` (sub-folders included). */
export async function loadFlows(
  options: FlowLoadOptions & { flowsDir: string },
): Promise<FlowLoadResult> {
  return loadFlowFiles(await findFlowFiles(options.flowsDir), options);
}

/** Loads the given flow files; ids must be unique across them (a duplicate's error names the first file). */
export async function loadFlowFiles(
  files: readonly string[],
  options: FlowLoadOptions,
): Promise<FlowLoadResult> {
  const claimedIds = new Map<string, ClaimedFlowId>();
  const result: FlowLoadResult = { flows: [], errors: [] };
  for (const file of files) {
    const { flow, errors } = await compileFlowFile(file, options, claimedIds);
    if (flow !== undefined) result.flows.push(flow);
    result.errors.push(...errors);
  }
  return result;
}

/**
 * Loads one flow file, e.g. on hot reload. `otherFlows` are the flows loaded from other files:
 * the file's id must not clash with theirs.
 */
export async function loadFlowFile(
  file: string,
  options: FlowLoadOptions & { otherFlows?: Iterable<CompiledFlow> },
): Promise<FlowFileResult> {
  const claimedIds = new Map<string, ClaimedFlowId>();
  for (const flow of options.otherFlows ?? [])
    claimedIds.set(flow.definition.id, { file: flow.sourceFile });
  return compileFlowFile(file, options, claimedIds);
}

/** Flow files in a folder, sorted so that duplicate-id errors land on the same file every run. */
async function findFlowFiles(flowsDir: string): Promise<string[]> {
  const entries = await readdir(flowsDir, { recursive: true, withFileTypes: true }).catch(
    (error: unknown) => {
      throw new Error(
        `cannot read the flows folder ${flowsDir}: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    },
  );
  return entries
    .filter((entry) => entry.isFile() && FLOW_FILE.test(entry.name))
    .map((entry) => resolve(entry.parentPath, entry.name))
    .sort();
}

async function compileFlowFile(
  file: string,
  options: FlowLoadOptions,
  claimedIds: Map<string, ClaimedFlowId>,
): Promise<FlowFileResult> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      flow: undefined,
      errors: [
        new FlowValidationError(resolve(file), 1, 1, '', `cannot read the flow file: ${reason}`),
      ],
    };
  }
  return compileFlowSource(file, source, options, claimedIds);
}
