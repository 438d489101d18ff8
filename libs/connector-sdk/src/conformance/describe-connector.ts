import { staticSecrets } from '../auth/secret-resolver';
import { type ConnectorDefinition } from '../define/define-connector';
import { validateConnectorPlugin } from '../define/validate-connector-plugin';
import { ConnectorError, type FailureType, isConnectorError } from '../errors/connector-error';
import { type HttpPolicyOverrides } from '../http/http-policy';
import { HttpStatusError } from '../http/http-status-error';
import { networkFailure } from '../http/network-failure';
import { type ConnectorInstance, createConnectorInstance } from '../runtime/connector-instance';
import { type WebhookRequest } from '../webhook/webhook-request';

/** Where the system under test is and how to log in to it. */
export interface ConformanceTarget {
  baseUrl: string;
  fallbackBaseUrls?: string[];
  settings?: Record<string, unknown>;
  /** Every secret the connector's auth strategy and webhook triggers need. */
  secrets: Record<string, string>;
  http?: HttpPolicyOverrides;
}

/** A call to make against the target; `output`, when given, must be contained in the answer. */
export interface ActionFixture {
  name: string;
  input: unknown;
  output?: unknown;
}

/** A failure and the class the connector must give it. */
export interface ErrorSample {
  name: string;
  /** Anything an action could see: `httpFailureSample(...)`, a network error, a thrown value. */
  failure: unknown;
  expect: FailureType;
  /** When given, the classified error must carry this code. */
  code?: string;
}

/** A correctly signed delivery for a webhook trigger, built with the target's secrets. */
export interface WebhookFixture {
  name: string;
  request: (target: ConformanceTarget) => WebhookRequest;
  /** Event names the delivery must produce, in order. */
  events?: string[];
}

export interface PollFixture {
  name: string;
  cursor?: string;
}

export interface ConformanceOptions {
  /**
   * Resolves the system under test. Called in the suite's beforeAll, so it runs after the test
   * file's own top-level beforeAll (which may start a local server or the sandbox).
   */
  target: () => ConformanceTarget | Promise<ConformanceTarget>;
  /** Fixtures per action name; an action without any falls back to its declared examples. */
  fixtures?: Record<string, ActionFixture[]>;
  /** Connector-specific failures to classify, on top of the generic ones every connector must get right. */
  errorSamples?: ErrorSample[];
  /** Fixtures per webhook trigger name; each webhook trigger needs at least one. */
  webhooks?: Record<string, WebhookFixture[]>;
  /** Fixtures per polling trigger name; default one poll from no cursor. */
  polls?: Record<string, PollFixture[]>;
  /** Per test. Default 30 s. */
  timeoutMs?: number;
}

/** A failed HTTP answer as the connector's HTTP client would report it, for error samples. */
export function httpFailureSample(
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
  request: { method: string; url: string } = {
    method: 'GET',
    url: 'http://system-under-test/sample',
  },
): HttpStatusError {
  const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
  return new HttpStatusError(
    request.method,
    request.url,
    { status, headers, body },
    text.slice(0, 300),
  );
}

/** The failures every connector must classify the generic way. */
const GENERIC_SAMPLES: ErrorSample[] = [
  {
    name: 'HTTP 429 with Retry-After',
    failure: httpFailureSample(429, 'Too Many Requests', { 'retry-after': '2' }),
    expect: 'rate_limited',
  },
  { name: 'HTTP 503', failure: httpFailureSample(503, 'Service Unavailable'), expect: 'transient' },
  {
    name: 'connection refused',
    failure: networkFailure(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'GET',
      'http://system-under-test/',
    ).error,
    expect: 'transient',
  },
];

/**
 * Declares the conformance suite every connector's tests run (jest `describe`/`it`): manifest
 * valid, each action runs its fixtures with schema-checked input and output and refuses bad
 * input, failures classified, credentials refused when wrong and renewable, health check
 * answers, webhook deliveries verified (tampering refused), polling answers a cursor.
 */
export function describeConnector(
  connector: ConnectorDefinition,
  options: ConformanceOptions,
): void {
  if (typeof describe !== 'function' || typeof it !== 'function') {
    throw new Error(
      'describeConnector declares jest tests: call it at the top level of a *.spec.ts file',
    );
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const opened: ConnectorInstance[] = [];
  let target: ConformanceTarget | undefined;
  let instance: ConnectorInstance | undefined;
  const open = (secrets: Record<string, string>): ConnectorInstance => {
    if (target === undefined) throw new Error('conformance target not resolved');
    const created = createConnectorInstance(connector, {
      baseUrl: target.baseUrl,
      fallbackBaseUrls: target.fallbackBaseUrls,
      settings: target.settings,
      http: target.http,
      secrets: staticSecrets(secrets),
    });
    opened.push(created);
    return created;
  };
  const connected = (): ConnectorInstance => {
    if (instance === undefined)
      throw new Error('conformance target not resolved: see the beforeAll failure');
    return instance;
  };

  describe(`connector "${String(connector?.id)}" conformance`, () => {
    beforeAll(async () => {
      target = await options.target();
      instance = open(target.secrets);
    }, timeoutMs);
    afterAll(async () => {
      await Promise.all(opened.map((created) => created.close()));
    });

    it('has a valid manifest that admits this SDK', () => {
      const definition = validateConnectorPlugin({ default: connector }, connector.id);
      expect(definition.id).toBe(connector.id);
    });

    it('is given every secret its auth strategy needs', () => {
      const missing = connector.auth.secretNames.filter(
        (name) => target?.secrets[name] === undefined,
      );
      expect(missing).toEqual([]);
    });

    for (const action of connector.actions) {
      describe(`action ${action.name}`, () => {
        const fixtures: ActionFixture[] = options.fixtures?.[action.name] ?? action.examples;
        if (fixtures.length === 0) {
          it('has an example or fixture to run', () => {
            throw new Error(
              `action ${action.name} has no examples: declare some in defineAction or pass options.fixtures.${action.name}`,
            );
          });
        }
        for (const fixture of fixtures) {
          it(
            `runs "${fixture.name}" and answers output matching its schema`,
            async () => {
              const output = await connected().invoke(action.name, fixture.input, {
                idempotencyKey: `conformance:${action.name}:${fixture.name}`,
                correlationId: 'conformance',
              });
              if (fixture.output !== undefined)
                expect(output).toMatchObject(fixture.output as object);
            },
            timeoutMs,
          );
        }
        it('refuses input that breaks its input schema', async () => {
          await expect(connected().invoke(action.name, 'not an object')).rejects.toMatchObject({
            failureType: 'config',
            code: 'INVALID_INPUT',
          });
        });
      });
    }

    describe('error classification', () => {
      for (const sample of [...GENERIC_SAMPLES, ...(options.errorSamples ?? [])]) {
        it(`classifies ${sample.name} as ${sample.expect}`, () => {
          const classified = classifyLikeTheRuntime(connector, sample.failure);
          expect(classified).toBeInstanceOf(ConnectorError);
          expect(classified.failureType).toBe(sample.expect);
          if (sample.code !== undefined) expect(classified.code).toBe(sample.code);
        });
      }
    });

    it(
      'answers its health check',
      async () => {
        const report = await connected().checkHealth();
        expect(report.error?.message).toBeUndefined();
        expect(report.healthy).toBe(true);
      },
      timeoutMs,
    );

    if (connector.auth.secretNames.length > 0) {
      it(
        'reports wrong credentials as a config failure',
        async () => {
          const secrets = { ...target?.secrets };
          for (const name of connector.auth.secretNames)
            secrets[name] = `wrong-${name}-for-conformance`;
          const report = await open(secrets).checkHealth();
          expect(report.healthy).toBe(false);
          expect(report.error?.failureType).toBe('config');
        },
        timeoutMs,
      );
    }

    it(
      `renews its credentials (${connector.auth.kind}) and still authenticates`,
      async () => {
        expect(await connected().renewCredentials()).toBe(connector.auth.renewable);
        const report = await connected().checkHealth();
        expect(report.error?.message).toBeUndefined();
        expect(report.healthy).toBe(true);
      },
      timeoutMs,
    );

    for (const trigger of connector.triggers) {
      describe(`${trigger.kind} trigger ${trigger.name}`, () => {
        if (trigger.kind === 'webhook') {
          const fixtures = options.webhooks?.[trigger.name] ?? [];
          if (fixtures.length === 0) {
            it('has a signed delivery fixture', () => {
              throw new Error(
                `webhook trigger ${trigger.name} has no fixture: pass options.webhooks.${trigger.name}`,
              );
            });
          }
          for (const fixture of fixtures) {
            it(`accepts the signed delivery "${fixture.name}"`, async () => {
              const outcome = await connected().receiveWebhook(
                trigger.name,
                fixture.request(target as ConformanceTarget),
              );
              expect(outcome).toMatchObject({ accepted: true });
              if (outcome.accepted && fixture.events !== undefined)
                expect(outcome.events.map((event) => event.event)).toEqual(fixture.events);
            });
            it(`refuses "${fixture.name}" when its body was tampered with`, async () => {
              const request = fixture.request(target as ConformanceTarget);
              const raw = Buffer.isBuffer(request.rawBody)
                ? request.rawBody
                : Buffer.from(request.rawBody);
              const tampered = { ...request, rawBody: Buffer.concat([raw, Buffer.from(' ')]) };
              expect(await connected().receiveWebhook(trigger.name, tampered)).toMatchObject({
                accepted: false,
              });
            });
          }
        } else {
          for (const fixture of options.polls?.[trigger.name] ?? [{ name: 'from the start' }]) {
            it(
              `polls "${fixture.name}" and answers events with a cursor`,
              async () => {
                const result = await connected().poll(trigger.name, fixture.cursor);
                expect(Array.isArray(result.events)).toBe(true);
                if (result.nextCursor !== undefined)
                  expect(typeof result.nextCursor).toBe('string');
              },
              timeoutMs,
            );
          }
        }
      });
    }
  });
}

/** The classification the runtime would give: the connector's refinement, else the default. */
function classifyLikeTheRuntime(connector: ConnectorDefinition, failure: unknown): ConnectorError {
  const refined = connector.classifyError?.(failure);
  if (refined !== undefined) return refined;
  if (isConnectorError(failure)) return failure;
  return new ConnectorError('config', 'unclassified failure', {
    code: 'UNCLASSIFIED',
    cause: failure,
  });
}
