import { type Authenticator } from '../auth/auth-strategy';
import { InMemoryTokenStore } from '../auth/in-memory-token-store';
import { type SecretResolver } from '../auth/secret-resolver';
import { type TokenStore } from '../auth/token-store';
import {
  type ActionContext,
  type ConnectorContext,
  type ConnectorSettings,
} from '../define/connector-context';
import { type ConnectorDefinition } from '../define/define-connector';
import { type PollResult, type TriggerDefinition } from '../define/define-trigger';
import { type TriggerEvent } from '../define/trigger-event';
import { ConnectorError, type FailureType, isConnectorError } from '../errors/connector-error';
import { type HttpClient, createHttpClient } from '../http/http-client';
import { type HttpPolicyOverrides, resolveHttpPolicy } from '../http/http-policy';
import { type ConnectorLogger, silentLogger } from '../observe/connector-logger';
import { type ConnectorObserver } from '../observe/connector-observer';
import { guardObserver } from '../observe/guarded-observer';
import { Redactor } from '../observe/redactor';
import { InMemoryReplayCache, type ReplayCache } from '../webhook/replay-cache';
import { type WebhookRejection, type WebhookRequest } from '../webhook/webhook-request';

/** What the runtime supplies to run one configured connector. */
export interface ConnectorInstanceOptions {
  /** The remote's primary base URL. */
  baseUrl: string;
  /** Tried in order when the ones before are down. */
  fallbackBaseUrls?: string[];
  /** The connector's own settings; validated against its `settings` schema, defaults filled in. */
  settings?: Record<string, unknown>;
  secrets: SecretResolver;
  /** Default: in memory (tokens lost on restart). */
  tokenStore?: TokenStore;
  /** Default: in memory, 10,000 ids. */
  replayCache?: ReplayCache;
  logger?: ConnectorLogger;
  observer?: ConnectorObserver;
  /** Operator overrides of the connector's HTTP defaults. */
  http?: HttpPolicyOverrides;
  now?: () => number;
}

export interface InvokeOptions {
  idempotencyKey?: string;
  correlationId?: string;
  signal?: AbortSignal;
}

export type WebhookOutcome =
  | { accepted: true; events: TriggerEvent[] }
  | { accepted: false; reason: WebhookRejection; message: string };

export interface HealthReport {
  healthy: boolean;
  latencyMs: number;
  error?: { failureType: FailureType; code: string | undefined; message: string };
}

/** Builds a running connector from its definition and the runtime's services. */
export function createConnectorInstance(
  definition: ConnectorDefinition,
  options: ConnectorInstanceOptions,
): ConnectorInstance {
  return new ConnectorInstance(definition, options);
}

/**
 * One configured connector: runs its actions with validated input and output, verifies and
 * maps its webhooks, polls, answers health checks — every failure a classified ConnectorError.
 */
export class ConnectorInstance {
  readonly id: string;
  readonly settings: ConnectorSettings;
  /** Authenticated, resilient HTTP to the remote. */
  readonly http: HttpClient;
  private readonly authenticator: Authenticator;
  private readonly secrets: SecretResolver;
  private readonly logger: ConnectorLogger;
  private readonly replayCache: ReplayCache;
  private readonly now: () => number;

  constructor(
    readonly definition: ConnectorDefinition,
    options: ConnectorInstanceOptions,
  ) {
    this.id = definition.id;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.replayCache = options.replayCache ?? new InMemoryReplayCache();
    this.settings = this.validateSettings(options.settings ?? {});
    const redactor = new Redactor();
    const resolver = options.secrets;
    this.secrets = {
      async get(name: string): Promise<string> {
        const value = await resolver.get(name);
        redactor.add(value);
        return value;
      },
    };
    const observer = guardObserver(options.observer, this.logger);
    const transport = createHttpClient({
      connectorId: this.id,
      baseUrls: [options.baseUrl, ...(options.fallbackBaseUrls ?? [])],
      policy: resolveHttpPolicy(definition.http, options.http),
      logger: this.logger,
      observer,
      redactor,
      classifyError: definition.classifyError?.bind(definition),
    });
    this.authenticator = definition.auth.create({
      connectorId: this.id,
      settings: this.settings,
      secrets: this.secrets,
      tokenStore: options.tokenStore ?? new InMemoryTokenStore(),
      redactor,
      transport,
      logger: this.logger,
      observer,
      now: this.now,
    });
    this.http = transport.withAuth(this.authenticator);
  }

  /** Runs an action: input checked against its schema, failures classified, output checked. */
  async invoke(actionName: string, input: unknown, options: InvokeOptions = {}): Promise<unknown> {
    const action = this.definition.actions.find((candidate) => candidate.name === actionName);
    if (action === undefined) {
      throw new ConnectorError(
        'config',
        `connector "${this.id}" has no action "${actionName}" (it has: ${this.definition.actions.map((a) => a.name).join(', ')})`,
        { code: 'UNKNOWN_ACTION' },
      );
    }
    const inputProblems = action.inputValidator.problems(input);
    if (inputProblems.length > 0) {
      throw new ConnectorError(
        'config',
        `${this.id}.${actionName} input is invalid: ${inputProblems.join('; ')}`,
        {
          code: 'INVALID_INPUT',
          details: { problems: inputProblems },
        },
      );
    }
    const context: ActionContext = {
      ...this.context(options.signal),
      idempotencyKey: options.idempotencyKey,
      correlationId: options.correlationId,
    };
    let output: unknown;
    try {
      output = await action.run(input, context);
    } catch (error) {
      throw this.classify(error, `${this.id}.${actionName}`);
    }
    const outputProblems = action.outputValidator.problems(output);
    if (outputProblems.length > 0) {
      throw new ConnectorError(
        'config',
        `${this.id}.${actionName} answered output that breaks its schema: ${outputProblems.join('; ')}`,
        {
          code: 'INVALID_OUTPUT',
          details: { problems: outputProblems },
        },
      );
    }
    return output;
  }

  /** Verifies a webhook delivery and maps it to events; a refused delivery is an answer, not an error. */
  async receiveWebhook(triggerName: string, request: WebhookRequest): Promise<WebhookOutcome> {
    const trigger = this.trigger(triggerName, 'webhook');
    const secret = await this.secrets.get(trigger.secretName);
    let verification;
    try {
      verification = await trigger.verify(request, secret, {
        replayCache: this.replayCache,
        now: this.now,
      });
    } catch (error) {
      throw this.classify(error, `${this.id}.${triggerName} verify`);
    }
    if (!verification.valid) {
      this.logger.warn(
        { connector: this.id, trigger: triggerName, reason: verification.reason },
        `webhook refused: ${verification.message}`,
      );
      return { accepted: false, reason: verification.reason, message: verification.message };
    }
    let events: TriggerEvent[];
    try {
      events = await trigger.toEvents(parseWebhookBody(request), request);
    } catch (error) {
      throw this.classify(error, `${this.id}.${triggerName} toEvents`);
    }
    this.checkEvents(trigger, events);
    return { accepted: true, events };
  }

  /** Asks a polling trigger for what changed since `cursor`. */
  async poll(
    triggerName: string,
    cursor: string | undefined,
    signal?: AbortSignal,
  ): Promise<PollResult> {
    const trigger = this.trigger(triggerName, 'poll');
    let result: PollResult;
    try {
      result = await trigger.poll(cursor, this.context(signal));
    } catch (error) {
      throw this.classify(error, `${this.id}.${triggerName} poll`);
    }
    this.checkEvents(trigger, result.events);
    return result;
  }

  /** Runs the connector's health check; never throws. */
  async checkHealth(): Promise<HealthReport> {
    const started = performance.now();
    try {
      await this.definition.healthCheck(this.context(undefined));
      return { healthy: true, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      const failure = this.classify(error, `${this.id} health check`);
      return {
        healthy: false,
        latencyMs: Math.round(performance.now() - started),
        error: { failureType: failure.failureType, code: failure.code, message: failure.message },
      };
    }
  }

  /** Obtains fresh credentials now (new token, new session); false for fixed-secret strategies. */
  async renewCredentials(): Promise<boolean> {
    return this.authenticator.renew(undefined);
  }

  /** Releases pooled connections. */
  async close(): Promise<void> {
    await this.http.close();
  }

  private context(signal: AbortSignal | undefined): ConnectorContext {
    return {
      connectorId: this.id,
      settings: this.settings,
      http: this.http,
      secrets: this.secrets,
      logger: this.logger,
      signal,
    };
  }

  private trigger<K extends TriggerDefinition['kind']>(
    name: string,
    kind: K,
  ): Extract<TriggerDefinition, { kind: K }> {
    const trigger = this.definition.triggers.find(
      (candidate): candidate is Extract<TriggerDefinition, { kind: K }> =>
        candidate.name === name && candidate.kind === kind,
    );
    if (trigger === undefined) {
      const names = this.definition.triggers
        .filter((candidate) => candidate.kind === kind)
        .map((candidate) => candidate.name);
      throw new ConnectorError(
        'config',
        `connector "${this.id}" has no ${kind} trigger "${name}" (it has: ${names.join(', ') || 'none'})`,
        {
          code: 'UNKNOWN_TRIGGER',
        },
      );
    }
    return trigger;
  }

  private checkEvents(trigger: TriggerDefinition, events: unknown): void {
    const problems: string[] = [];
    if (!Array.isArray(events)) problems.push('events must be an array');
    else {
      events.forEach((candidate: unknown, index) => {
        const event = candidate as Partial<TriggerEvent> | null;
        if (typeof event?.event !== 'string' || !trigger.events.includes(event.event)) {
          problems.push(
            `events[${index}].event must be one of ${trigger.events.join(', ')}, got ${JSON.stringify(event?.event)}`,
          );
        }
        if (typeof event?.id !== 'string' || event.id === '')
          problems.push(`events[${index}].id must be a non-empty string`);
        for (const problem of trigger.payloadValidator?.problems(event?.payload) ?? [])
          problems.push(`events[${index}].payload ${problem}`);
      });
    }
    if (problems.length > 0) {
      throw new ConnectorError(
        'config',
        `${this.id}.${trigger.name} produced invalid events: ${problems.join('; ')}`,
        {
          code: 'INVALID_EVENT',
          details: { problems },
        },
      );
    }
  }

  private classify(error: unknown, where: string): ConnectorError {
    if (isConnectorError(error)) return error;
    try {
      const refined = this.definition.classifyError?.(error);
      if (refined !== undefined) return refined;
    } catch (classifyFailure) {
      this.logger.error(
        { connector: this.id, err: String(classifyFailure) },
        'classifyError threw; treating the failure as unclassified',
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return new ConnectorError('config', `${where} failed unexpectedly: ${message}`, {
      code: 'UNCLASSIFIED',
      cause: error,
    });
  }

  private validateSettings(settings: Record<string, unknown>): ConnectorSettings {
    const validator = this.definition.settingsValidator;
    if (validator === undefined) return Object.freeze({ ...settings });
    // The validator fills in declared defaults, so it works on a copy.
    const copy = structuredClone(settings);
    const problems = validator.problems(copy);
    if (problems.length > 0) {
      throw new ConnectorError(
        'config',
        `connector "${this.id}" settings are invalid: ${problems.join('; ')}`,
        {
          code: 'INVALID_SETTINGS',
          details: { problems },
        },
      );
    }
    return Object.freeze(copy);
  }
}

/** JSON when it says or looks so, a form as an object (Payoneer IPCN), the text otherwise. */
function parseWebhookBody(request: WebhookRequest): unknown {
  const text = Buffer.isBuffer(request.rawBody)
    ? request.rawBody.toString('utf8')
    : request.rawBody;
  const contentTypeHeader = request.headers['content-type'];
  const contentType =
    (Array.isArray(contentTypeHeader) ? contentTypeHeader[0] : contentTypeHeader) ?? '';
  if (/[/+]json\b/i.test(contentType) || (contentType === '' && /^\s*[[{]/.test(text))) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ConnectorError(
        'config',
        `webhook body is not valid JSON: ${(error as Error).message}`,
        { code: 'INVALID_WEBHOOK_BODY' },
      );
    }
  }
  if (/application\/x-www-form-urlencoded/i.test(contentType))
    return Object.fromEntries(new URLSearchParams(text));
  return text;
}
