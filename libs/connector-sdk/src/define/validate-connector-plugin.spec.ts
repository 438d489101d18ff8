import { apiKey } from '../auth/api-key.strategy';
import { ConnectorDefinitionError } from '../errors/connector-definition-error';
import { ConnectorPluginError } from '../errors/connector-plugin-error';
import { SDK_VERSION } from '../sdk-version';
import { type ActionSpec, defineAction } from './define-action';
import { type ConnectorSpec, defineConnector } from './define-connector';
import { defineTrigger } from './define-trigger';
import { connectorManifest } from './connector-manifest';
import { validateConnectorPlugin } from './validate-connector-plugin';

const submitPayout: ActionSpec<{ clientReferenceId: string; amount: number }, { status: string }> =
  {
    name: 'submitPayout',
    input: {
      type: 'object',
      required: ['clientReferenceId', 'amount'],
      properties: {
        clientReferenceId: { type: 'string' },
        amount: { type: 'number', exclusiveMinimum: 0 },
      },
    },
    output: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } },
    examples: [{ name: 'a payout', input: { clientReferenceId: 'po-1', amount: 10 } }],
    run: async () => ({ status: 'accepted' }),
  };

const spec = (overrides: Partial<ConnectorSpec> = {}): ConnectorSpec => ({
  id: 'payoneer',
  version: '1.2.0',
  sdkVersion: '^1.0.0',
  auth: apiKey(),
  actions: [defineAction(submitPayout)],
  triggers: [
    defineTrigger({
      kind: 'webhook',
      name: 'payoutEvents',
      events: ['payout.statusUpdated'],
      verify: () => ({ valid: true }),
      toEvents: () => [],
    }),
  ],
  healthCheck: async () => undefined,
  ...overrides,
});

function pluginError(moduleExports: unknown): ConnectorPluginError {
  try {
    validateConnectorPlugin(moduleExports, 'connectors/payoneer');
  } catch (error) {
    if (error instanceof ConnectorPluginError) return error;
    throw error;
  }
  throw new Error('expected the plugin to be refused');
}

describe('validateConnectorPlugin', () => {
  it('answers the definition of a valid plugin', () => {
    const definition = validateConnectorPlugin(
      { default: defineConnector(spec()) },
      'connectors/payoneer',
    );
    expect(definition).toMatchObject({ id: 'payoneer', version: '1.2.0' });
    expect(definition.actions.map((action) => action.name)).toEqual(['submitPayout']);
    expect(definition.triggers[0]).toMatchObject({ secretName: 'webhookSecret' });
  });

  it('refuses a module without a default export, naming the plugin', () => {
    expect(pluginError({ connector: defineConnector(spec()) }).message).toBe(
      'Connector plugin "connectors/payoneer": the module has no default export; it must `export default defineConnector({...})`',
    );
    expect(pluginError(undefined).origin).toBe('connectors/payoneer');
  });

  it('refuses a default export that is not a connector', () => {
    expect(pluginError({ default: spec() }).message).toContain(
      'the default export is not a connector',
    );
  });

  it(`refuses a plugin whose sdkVersion range does not admit SDK ${SDK_VERSION}`, () => {
    const incompatible = { ...defineConnector(spec()), sdkVersion: '^2.0.0' };
    expect(pluginError({ default: incompatible }).problems).toEqual([
      `sdkVersion "^2.0.0" does not admit this runtime's connector SDK ${SDK_VERSION}`,
    ]);
    expect(pluginError({ default: { ...incompatible, sdkVersion: 'latest' } }).problems).toEqual([
      'sdkVersion must be a semver range (e.g. ^1.0.0), got "latest"',
    ]);
  });

  it('re-checks a definition built by another copy of the SDK and lists every problem with its path', () => {
    const foreign = {
      ...spec(),
      kind: 'switchboard.connector',
      id: 'Payoneer',
      version: 'one',
      actions: [
        submitPayout,
        { ...submitPayout, output: { type: 'object', properties: { status: { type: 'strng' } } } },
      ],
      triggers: [
        {
          kind: 'webhook',
          name: 'payoutEvents',
          events: ['Payout Updated'],
          verify: () => ({ valid: true }),
        },
      ],
    };
    expect(pluginError({ default: foreign }).problems).toEqual([
      'id must be kebab-case (e.g. payoneer), got "Payoneer"',
      'version must be a semver version (e.g. 1.0.0), got "one"',
      expect.stringMatching(
        /^actions\[1\] \(action "submitPayout"\): output: schema does not compile: .*status\/type must be equal to one of the allowed values/,
      ),
      'triggers[0] (trigger "payoutEvents"): events[0] must be a dotted event name like order.created, got "Payout Updated"',
      'triggers[0] (trigger "payoutEvents"): toEvents must be a function, got nothing',
    ]);
  });

  it('refuses duplicate action names', () => {
    const duplicate = { ...defineConnector(spec()), actions: [submitPayout, submitPayout] };
    expect(pluginError({ default: Object.assign({}, duplicate) }).problems).toEqual([
      'action name "submitPayout" is declared more than once',
    ]);
  });
});

describe('defineAction', () => {
  it('refuses examples that break the input schema and names that are not camelCase', () => {
    const bad = () =>
      defineAction({
        ...submitPayout,
        name: 'Submit-Payout',
        examples: [{ name: 'negative', input: { clientReferenceId: 'x', amount: -1 } }],
      });
    expect(bad).toThrow(ConnectorDefinitionError);
    expect(bad).toThrow(
      'action "Submit-Payout" is invalid:\n  - name must be camelCase (e.g. submitPayout), got "Submit-Payout"\n  - examples[0].input /amount must be > 0',
    );
  });

  it('requires an object input schema', () => {
    expect(() =>
      defineAction({ ...submitPayout, examples: [], input: { type: 'string' } }),
    ).toThrow('input: schema must describe an object (type: "object")');
  });
});

describe('defineConnector', () => {
  it('refuses an HTTP policy that cannot work and a settings schema that does not compile', () => {
    expect(() =>
      defineConnector(
        spec({
          http: { retry: { maxAttempts: 0 } },
          settings: { type: 'object', required: 'programId' },
        }),
      ),
    ).toThrow(
      /connector "payoneer" is invalid:\n {2}- settings: schema does not compile: .*\n {2}- http: invalid HTTP policy: retry.maxAttempts must be an integer >= 1, got 0/,
    );
  });
});

describe('connectorManifest', () => {
  it('lists what the connector declares, as JSON without code', () => {
    const manifest = connectorManifest(defineConnector(spec()));
    expect(JSON.parse(JSON.stringify(manifest))).toEqual({
      id: 'payoneer',
      version: '1.2.0',
      sdkVersion: '^1.0.0',
      auth: { kind: 'api_key', secretNames: ['apiKey'], renewable: false },
      actions: [
        {
          name: 'submitPayout',
          input: submitPayout.input,
          output: submitPayout.output,
          examples: [{ name: 'a payout', input: { clientReferenceId: 'po-1', amount: 10 } }],
        },
      ],
      triggers: [
        {
          name: 'payoutEvents',
          kind: 'webhook',
          events: ['payout.statusUpdated'],
          secretName: 'webhookSecret',
        },
      ],
    });
  });
});
