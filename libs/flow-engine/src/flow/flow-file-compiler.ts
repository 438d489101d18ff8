import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { CronTime } from 'cron';
import { LineCounter, parseDocument } from 'yaml';
import { type CompiledMapping } from '../mapping/compiled-mapping';
import { MappingCompileError } from '../mapping/mapping-errors';
import { DEFAULT_RETRY_POLICY } from '../retry/retry-policy';
import { type CompiledFlow } from './compiled-flow';
import { didYouMean } from './did-you-mean';
import { type FlowDefinition } from './flow-definition';
import { type FlowFileResult, type FlowLoadOptions } from './flow-load-options';
import { checkFlowShape } from './flow-schema-check';
import { FlowValidationError } from './flow-validation-error';
import { YamlLocator } from './yaml-locator';

/** Where a flow id was first defined, so a duplicate can name it. */
export interface ClaimedFlowId {
  file: string;
  line?: number;
}

type YamlPath = string[];

/**
 * Validates and compiles the text of one flow file. Reports every problem it can find (schema,
 * mapping, registry, connectors, cron, key, duplicate id), each at its YAML path and line.
 * Claims the file's id in `claimedIds` when no earlier file holds it.
 */
export function compileFlowSource(
  file: string,
  source: string,
  options: FlowLoadOptions,
  claimedIds: Map<string, ClaimedFlowId>,
): FlowFileResult {
  return new FlowFileCompilation(resolve(file), source, options, claimedIds).run();
}

class FlowFileCompilation {
  private readonly errors: FlowValidationError[] = [];
  private locator: YamlLocator | undefined;
  private document: unknown;
  private mapping: CompiledMapping | null = null;
  private key: CompiledMapping | undefined;
  /** Paths the schema refused: the checks below leave them alone rather than pile on. */
  private readonly refusedPaths = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly source: string,
    private readonly options: FlowLoadOptions,
    private readonly claimedIds: Map<string, ClaimedFlowId>,
  ) {}

  run(): FlowFileResult {
    const lineCounter = new LineCounter();
    const yamlDocument = parseDocument(this.source, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
    });
    if (yamlDocument.errors.length > 0) {
      // Past a syntax error the tree is guesswork: schema messages about it would only mislead.
      for (const error of yamlDocument.errors) {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        this.errors.push(
          new FlowValidationError(this.file, line, col, '', `YAML syntax error: ${error.message}`),
        );
      }
      return this.result(undefined);
    }
    this.locator = new YamlLocator(yamlDocument, lineCounter);
    this.document = yamlDocument.toJS();
    if (this.document === null || this.document === undefined) {
      this.report(
        [],
        'the file is empty: a flow needs at least id, version, trigger, target and key',
      );
      return this.result(undefined);
    }
    for (const issue of checkFlowShape(this.document)) {
      this.report(issue.path, issue.message, issue.atKey);
      this.refusedPaths.add(issue.path.join('/'));
    }
    // The checks below read only the fields they need and skip what the schema already refused,
    // so one run reports every problem of the file.
    this.checkId();
    this.checkTrigger();
    this.checkTransform();
    this.checkTarget();
    this.checkKey();
    this.checkRetry();
    this.checkDlq();
    return this.result(this.errors.length === 0 ? this.compiledFlow() : undefined);
  }

  private checkId(): void {
    const id = this.text(['id']);
    if (id === undefined) return;
    const claimed = this.claimedIds.get(id);
    if (claimed === undefined) {
      this.claimedIds.set(id, { file: this.file, line: this.locator?.locate(['id']).line });
    } else if (claimed.file !== this.file) {
      const where = `${displayPath(claimed.file)}${claimed.line === undefined ? '' : `:${claimed.line}`}`;
      this.report(['id'], `duplicate flow id "${id}": already defined in ${where}`);
    }
  }

  private checkTrigger(): void {
    const connector = this.text(['trigger', 'webhook', 'connector']);
    const event = this.text(['trigger', 'webhook', 'event']);
    if (
      connector !== undefined &&
      this.knownConnector(['trigger', 'webhook', 'connector'], connector) &&
      event !== undefined
    ) {
      const events = this.options.catalog?.events(connector) ?? [];
      if (!events.includes(event)) {
        this.report(
          ['trigger', 'webhook', 'event'],
          `unknown event "${event}"${this.choices(connector, 'webhook events', events, event)}`,
        );
      }
    }
    const cron = this.text(['trigger', 'schedule', 'cron']);
    if (cron !== undefined) {
      try {
        new CronTime(cron);
      } catch (error) {
        this.report(
          ['trigger', 'schedule', 'cron'],
          `invalid cron expression "${cron}": ${messageOf(error)}`,
        );
      }
    }
    const action = this.text(['trigger', 'schedule', 'action']);
    const dot = action?.indexOf('.') ?? -1;
    if (action !== undefined && dot > 0) {
      const actionConnector = action.slice(0, dot);
      if (this.knownConnector(['trigger', 'schedule', 'action'], actionConnector)) {
        const actions = (this.options.catalog?.actions(actionConnector) ?? []).map(
          (name) => `${actionConnector}.${name}`,
        );
        if (!actions.includes(action)) {
          this.report(
            ['trigger', 'schedule', 'action'],
            `unknown action "${action}"${this.choices(actionConnector, 'actions', actions, action)}`,
          );
        }
      }
    }
  }

  private checkTransform(): void {
    const mapping = this.text(['transform', 'mapping']);
    if (mapping !== undefined) {
      const mappingFile = resolve(this.options.mappingsDir, mapping);
      if (!existsSync(mappingFile)) {
        const known = mappingFilesIn(this.options.mappingsDir);
        const hint = didYouMean(mapping, known);
        this.report(
          ['transform', 'mapping'],
          `mapping file not found: ${displayPath(mappingFile)}${hint}`,
        );
      } else {
        try {
          this.mapping = this.options.engine.compileFile(displayPath(mappingFile));
        } catch (error) {
          if (!(error instanceof MappingCompileError)) throw error;
          // The message starts with the mapping's own file:line:column.
          this.report(['transform', 'mapping'], `mapping does not compile: ${error.message}`);
        }
      }
    }
    const output = this.text(['transform', 'output']);
    if (output !== undefined && !this.options.registry.has(output)) {
      this.report(
        ['transform', 'output'],
        `unknown schema "${output}"${didYouMean(output, this.options.registry.refs())}`,
      );
    }
  }

  private checkTarget(): void {
    const connector = this.text(['target', 'action', 'connector']);
    const name = this.text(['target', 'action', 'name']);
    if (
      connector !== undefined &&
      this.knownConnector(['target', 'action', 'connector'], connector) &&
      name !== undefined
    ) {
      const actions = this.options.catalog?.actions(connector) ?? [];
      if (!actions.includes(name)) {
        this.report(
          ['target', 'action', 'name'],
          `unknown action "${name}"${this.choices(connector, 'actions', actions, name)}`,
        );
      }
    }
    const topic = this.text(['target', 'topic']);
    if (topic !== undefined && topic === this.text(['trigger', 'topic'])) {
      this.report(
        ['target', 'topic'],
        `"${topic}" is also the trigger topic: the flow would consume its own output forever`,
      );
    }
  }

  private checkKey(): void {
    const key = this.text(['key']);
    if (key === undefined || key.trim() === '') return;
    try {
      this.key = this.options.engine.compile(key, `${displayPath(this.file)}#key`);
    } catch (error) {
      if (!(error instanceof MappingCompileError)) throw error;
      const where =
        error.line > 1 ? `line ${error.line}, column ${error.column}` : `column ${error.column}`;
      this.report(['key'], `invalid JSONata expression (${where}): ${withoutLocation(error)}`);
    }
  }

  private checkRetry(): void {
    const initialMs = this.value(['retry', 'initialMs']);
    const maxMs = this.value(['retry', 'maxMs']) ?? DEFAULT_RETRY_POLICY.maxMs;
    if (typeof initialMs === 'number' && typeof maxMs === 'number' && initialMs > maxMs) {
      this.report(
        ['retry', 'initialMs'],
        `${initialMs} is more than maxMs (${maxMs}): the first delay cannot exceed the longest`,
      );
    }
  }

  private checkDlq(): void {
    const dlqTopic = this.text(['dlq', 'topic']);
    if (dlqTopic === undefined) return;
    for (const [role, path] of [
      ['trigger', ['trigger', 'topic']],
      ['target', ['target', 'topic']],
    ] as const) {
      if (dlqTopic === this.text([...path])) {
        this.report(
          ['dlq', 'topic'],
          `"${dlqTopic}" is also the ${role} topic: dead letters must not mix with live events`,
        );
      }
    }
  }

  /** True when the catalog knows the connector; reports it when not. Without a catalog, names go unchecked. */
  private knownConnector(path: YamlPath, connector: string): boolean {
    const catalog = this.options.catalog;
    if (catalog === undefined) return false;
    const ids = catalog.connectorIds();
    if (ids.includes(connector)) return true;
    const hint = didYouMean(connector, ids) || `; loaded connectors: ${ids.join(', ') || 'none'}`;
    this.report(path, `unknown connector "${connector}"${hint}`);
    return false;
  }

  /** A did-you-mean, or else the full list, of a connector's events or actions. */
  private choices(connector: string, what: string, names: string[], value: string): string {
    if (names.length === 0) return `: connector "${connector}" has no ${what}`;
    return (
      didYouMean(value, names) || `; connector "${connector}" has ${what}: ${names.join(', ')}`
    );
  }

  private compiledFlow(): CompiledFlow {
    const definition = this.document as FlowDefinition;
    const key = this.key;
    if (key === undefined)
      throw new Error(`${this.file}: flow passed validation without a compiled key`);
    return {
      definition,
      sourceFile: this.file,
      mapping: this.mapping,
      key,
      retry: {
        ...DEFAULT_RETRY_POLICY,
        ...definition.retry,
        retryOn: [...(definition.retry?.retryOn ?? DEFAULT_RETRY_POLICY.retryOn)],
      },
      dlqTopic: definition.dlq?.topic ?? `sb.dlq.${definition.id}`,
      hash: createHash('sha256')
        .update(this.source)
        .update('\0')
        .update(this.mapping?.hash ?? '')
        .digest('hex'),
    };
  }

  private result(flow: CompiledFlow | undefined): FlowFileResult {
    const errors = [...this.errors].sort((a, b) => a.line - b.line || a.column - b.column);
    return { flow, errors };
  }

  private report(path: YamlPath, message: string, atKey = false): void {
    const { line, column } = this.locator?.locate(path, atKey) ?? { line: 1, column: 1 };
    this.errors.push(new FlowValidationError(this.file, line, column, dottedPath(path), message));
  }

  private value(path: YamlPath): unknown {
    let node: unknown = this.document;
    for (const segment of path) {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
      node = (node as Record<string, unknown>)[segment];
    }
    return node;
  }

  /** The string at `path`, unless it is missing, not a string, or already refused by the schema. */
  private text(path: YamlPath): string | undefined {
    const value = this.value(path);
    return typeof value === 'string' && !this.refusedPaths.has(path.join('/')) ? value : undefined;
  }
}

/** `trigger.webhook.event`, `retry.retryOn[1]`. */
function dottedPath(path: YamlPath): string {
  return path.reduce((dotted, segment) => {
    if (/^\d+$/.test(segment)) return `${dotted}[${segment}]`;
    return dotted === '' ? segment : `${dotted}.${segment}`;
  }, '');
}

function displayPath(file: string): string {
  return relative(process.cwd(), file) || file;
}

/** Mapping files under the mappings folder, as `transform.mapping` would name them. */
function mappingFilesIn(mappingsDir: string): string[] {
  if (!existsSync(mappingsDir)) return [];
  return readdirSync(mappingsDir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.jsonata'))
    .map((name) => name.split(sep).join('/'));
}

/** The compile error's own text, without the `origin:line:column` (or `origin:`) it starts with. */
function withoutLocation(error: MappingCompileError): string {
  const prefix =
    error.line > 0 ? `${error.origin}:${error.line}:${error.column} ` : `${error.origin}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
