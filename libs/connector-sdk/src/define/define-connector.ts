import semver from 'semver';

import { type AuthStrategy } from '../auth/auth-strategy';
import { ConnectorDefinitionError } from '../errors/connector-definition-error';
import { type ConnectorError } from '../errors/connector-error';
import { type HttpPolicyOverrides, resolveHttpPolicy } from '../http/http-policy';
import { type JsonSchema, type SchemaValidator } from '../schema/json-schema';
import { SDK_VERSION } from '../sdk-version';
import { type ActionDefinition, type ActionSpec, defineAction } from './define-action';
import { type TriggerDefinition, type TriggerSpec, defineTrigger } from './define-trigger';
import { type ConnectorContext } from './connector-context';
import {
  compileDeclaredSchema,
  describeValue,
  requireFunction,
  requireUniqueNames,
} from './definition-checks';

/** Marks a connector definition, so the loader can tell one from any other default export. */
export const CONNECTOR_KIND = 'switchboard.connector';

/** kebab-case connector ids: `clarity`, `payoneer`, `erp-next`. */
const CONNECTOR_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** What a connector author writes: the default export of a plugin is `defineConnector(spec)`. */
export interface ConnectorSpec {
  id: string;
  /** The connector's own version (semver). */
  version: string;
  /** The SDK versions it works with, as a semver range, e.g. `^1.0.0`. */
  sdkVersion: string;
  title?: string;
  description?: string;
  auth: AuthStrategy;
  /** JSON Schema of the connector's own settings (account ids, auth host…); its defaults apply. */
  settings?: JsonSchema;
  /** The connector's HTTP defaults (timeouts, retries, rate limit); operators may override them. */
  http?: HttpPolicyOverrides;
  actions: ActionDefinition[];
  triggers?: TriggerDefinition[];
  /**
   * Refines a failure into a classified error: the HTTP client's `HttpStatusError` (read
   * `response.status` and `response.body`), or anything an action threw. Undefined keeps the
   * default classification.
   */
  classifyError?(failure: unknown): ConnectorError | undefined;
  /** Resolves when the remote answers with the configured credentials; rejects otherwise. */
  healthCheck(context: ConnectorContext): Promise<void>;
}

/** A connector whose declaration was checked: what the runtime loads and instantiates. */
export interface ConnectorDefinition extends ConnectorSpec {
  readonly kind: typeof CONNECTOR_KIND;
  readonly triggers: TriggerDefinition[];
  readonly settingsValidator: SchemaValidator | undefined;
}

const defined = new WeakSet<object>();

/** Declares a connector: checks the manifest, SDK range, unique names, schemas and HTTP policy. */
export function defineConnector(spec: ConnectorSpec): ConnectorDefinition {
  if (typeof spec === 'object' && spec !== null && defined.has(spec))
    return spec as ConnectorDefinition;
  const subject = `connector ${typeof spec?.id === 'string' ? `"${spec.id}"` : '(no id)'}`;
  if (typeof spec !== 'object' || spec === null)
    throw new ConnectorDefinitionError(subject, [`must be an object, got ${describeValue(spec)}`]);
  const problems: string[] = [];

  if (typeof spec.id !== 'string' || !CONNECTOR_ID.test(spec.id))
    problems.push(`id must be kebab-case (e.g. payoneer), got ${describeValue(spec.id)}`);
  if (typeof spec.version !== 'string' || semver.valid(spec.version) === null) {
    problems.push(
      `version must be a semver version (e.g. 1.0.0), got ${describeValue(spec.version)}`,
    );
  }
  problems.push(...sdkVersionProblems(spec.sdkVersion));
  const auth = spec.auth as Partial<AuthStrategy> | undefined;
  if (
    typeof auth !== 'object' ||
    auth === null ||
    typeof auth.kind !== 'string' ||
    typeof auth.create !== 'function' ||
    !Array.isArray(auth.secretNames)
  ) {
    problems.push(
      'auth must be an auth strategy (oauth2ClientCredentials, apiKey, basicAuth, sessionLogin or noAuth)',
    );
  }
  requireFunction(spec, 'healthCheck', problems);
  if ((spec as { classifyError?: unknown }).classifyError !== undefined)
    requireFunction(spec, 'classifyError', problems);
  const settingsValidator =
    spec.settings === undefined
      ? undefined
      : compileDeclaredSchema(spec.settings, 'settings', problems, { useDefaults: true });
  if (spec.http !== undefined) {
    try {
      resolveHttpPolicy(spec.http);
    } catch (error) {
      problems.push(`http: ${(error as Error).message}`);
    }
  }

  const actions = defineMembers(spec.actions, 'actions', true, problems, (action) =>
    defineAction(action as ActionSpec),
  );
  const triggers = defineMembers(
    spec.triggers ?? [],
    'triggers',
    false,
    problems,
    (trigger): TriggerDefinition => defineTrigger(trigger as TriggerSpec),
  );
  requireUniqueNames(
    actions.map((action) => action.name),
    'action',
    problems,
  );
  requireUniqueNames(
    triggers.map((trigger) => trigger.name),
    'trigger',
    problems,
  );

  if (problems.length > 0) throw new ConnectorDefinitionError(subject, problems);
  const definition: ConnectorDefinition = {
    ...spec,
    kind: CONNECTOR_KIND,
    actions,
    triggers,
    settingsValidator,
  };
  defined.add(definition);
  return definition;
}

/** Why a plugin's `sdkVersion` range does not admit this SDK; empty when it does. */
export function sdkVersionProblems(range: unknown): string[] {
  if (typeof range !== 'string' || semver.validRange(range) === null) {
    return [`sdkVersion must be a semver range (e.g. ^1.0.0), got ${describeValue(range)}`];
  }
  if (!semver.satisfies(SDK_VERSION, range)) {
    return [`sdkVersion "${range}" does not admit this runtime's connector SDK ${SDK_VERSION}`];
  }
  return [];
}

/**
 * Re-declares each action/trigger so that members built by another copy of the SDK (a plugin
 * with its own node_modules) get validators compiled here; problems are prefixed with their path.
 */
function defineMembers<T extends { name: string }>(
  members: unknown,
  path: string,
  required: boolean,
  problems: string[],
  define: (member: unknown) => T,
): T[] {
  if (!Array.isArray(members)) {
    problems.push(`${path} must be an array, got ${describeValue(members)}`);
    return [];
  }
  if (required && members.length === 0) problems.push(`${path} must declare at least one`);
  const result: T[] = [];
  members.forEach((member: unknown, index) => {
    try {
      result.push(define(member));
    } catch (error) {
      if (!(error instanceof ConnectorDefinitionError)) throw error;
      for (const problem of error.problems)
        problems.push(`${path}[${index}] (${error.subject}): ${problem}`);
    }
  });
  return result;
}
