import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { watch, type FSWatcher } from 'chokidar';
import {
  loadFlows,
  MappingEngine,
  type CompiledFlow,
  type ConnectorCatalog,
  type FlowValidationError,
} from '@switchboard/flow-engine';
import { SchemaRegistry } from '@switchboard/schema-registry';
import { RuntimeConfig } from '../config/runtime-config';
import { CONNECTOR_CATALOG } from '../runtime.tokens';

export interface FlowLoadProblem {
  file: string;
  line: number;
  path: string;
  message: string;
  text: string;
}

/**
 * The flows the runtime runs. Loads config/flows, keeps every version it has run (for replays
 * pinned to the original version) and hot-reloads on change. A file that fails validation is
 * reported and the previous good version of its flow keeps running.
 */
@Injectable()
export class FlowRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger(FlowRegistry.name);
  private readonly events = new EventEmitter();
  private current = new Map<string, CompiledFlow>();
  private readonly versions = new Map<string, CompiledFlow>();
  private problems: FlowLoadProblem[] = [];
  private watcher: FSWatcher | undefined;
  private reloading: Promise<void> = Promise.resolve();
  private lastReloadAt: Date | null = null;

  constructor(
    private readonly config: RuntimeConfig,
    private readonly engine: MappingEngine,
    private readonly registry: SchemaRegistry,
    @Inject(CONNECTOR_CATALOG) private readonly catalog: ConnectorCatalog | undefined,
  ) {}

  /** Loads every flow; at boot a broken flow set is an error, so nothing half-loaded runs. */
  async load(): Promise<void> {
    await this.reload();
    if (this.config.flows.hotReload) this.startWatching();
  }

  /** Validates flows as they would load, without changing what runs. */
  async validate(flowsDir = this.config.flows.dir): Promise<{ flows: CompiledFlow[]; errors: FlowValidationError[] }> {
    return loadFlows({
      flowsDir,
      mappingsDir: this.config.flows.mappingsDir,
      engine: this.engine,
      registry: this.registry,
      catalog: this.catalog,
    });
  }

  list(): CompiledFlow[] {
    return [...this.current.values()];
  }

  get(flowId: string): CompiledFlow | undefined {
    return this.current.get(flowId);
  }

  /** A version this process has run; older versions are gone after a restart. */
  getVersion(flowId: string, version: number): CompiledFlow | undefined {
    return this.versions.get(`${flowId}@${version}`);
  }

  loadProblems(): FlowLoadProblem[] {
    return this.problems;
  }

  lastReload(): Date | null {
    return this.lastReloadAt;
  }

  /** Called with the flows before and after each reload that changed something. */
  onChange(listener: (change: { previous: Map<string, CompiledFlow>; next: Map<string, CompiledFlow> }) => void): void {
    this.events.on('change', listener);
  }

  /** Re-reads all flow files; serialised so two quick edits cannot interleave. */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(() => this.doReload());
    return this.reloading;
  }

  private async doReload(): Promise<void> {
    const result = await this.validate();
    const previous = this.current;
    const next = new Map<string, CompiledFlow>();
    for (const flow of result.flows) next.set(flow.definition.id, flow);
    const brokenFiles = new Set(result.errors.map((error) => resolve(error.file)));
    for (const [id, flow] of previous) {
      // A broken edit never replaces a running flow: keep the last good one of that file.
      if (!next.has(id) && brokenFiles.has(resolve(flow.sourceFile))) next.set(id, flow);
    }
    for (const flow of next.values()) {
      const versionKey = `${flow.definition.id}@${flow.definition.version}`;
      const known = this.versions.get(versionKey);
      if (known !== undefined && known.hash !== flow.hash) {
        this.logger.warn(
          `${flow.sourceFile}: flow ${flow.definition.id} changed but kept version ${flow.definition.version}; bump "version" so executions tell the two apart`,
        );
      }
      this.versions.set(versionKey, flow);
    }
    this.problems = result.errors.map((error) => ({
      file: error.file,
      line: error.line,
      path: error.path,
      message: error.message,
      text: error.toString(),
    }));
    for (const problem of this.problems) this.logger.error(`flow not loaded: ${problem.text}`);
    this.current = next;
    this.lastReloadAt = new Date();
    this.events.emit('change', { previous, next });
  }

  private startWatching(): void {
    let timer: NodeJS.Timeout | undefined;
    this.watcher = watch([this.config.flows.dir, this.config.flows.mappingsDir], { ignoreInitial: true });
    this.watcher.on('all', (_event, path) => {
      // Editors write files in several steps: wait for the burst to settle.
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.logger.log(`change in ${path}: reloading flows`);
        this.reload().catch((error: unknown) => this.logger.error(`flow reload failed: ${String(error)}`));
      }, 150);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.watcher?.close();
    await this.reloading;
  }
}
