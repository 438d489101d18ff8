import { type MappingEngine } from '../mapping/mapping-engine';
import { type CompiledFlow } from './compiled-flow';
import { type ConnectorCatalog } from './connector-catalog';
import { type FlowValidationError } from './flow-validation-error';

/** What loading flows needs: where mappings live, how to compile them, what to check names against. */
export interface FlowLoadOptions {
  /** Folder that `transform.mapping` paths are relative to. */
  mappingsDir: string;
  engine: MappingEngine;
  /** Schema references that `transform.output` may name (the schema registry). */
  registry: { has(ref: string): boolean; refs(): string[] };
  /** Without a catalog, connector, event and action names go unchecked. */
  catalog?: ConnectorCatalog;
}

/** Every flow that compiled, and every problem found; a file with any error yields no flow. */
export interface FlowLoadResult {
  flows: CompiledFlow[];
  errors: FlowValidationError[];
}

/** The outcome of one flow file. */
export interface FlowFileResult {
  flow: CompiledFlow | undefined;
  errors: FlowValidationError[];
}
