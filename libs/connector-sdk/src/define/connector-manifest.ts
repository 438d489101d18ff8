import { type JsonSchema } from '../schema/json-schema';
import { type ConnectorDefinition } from './define-connector';

/** What a connector declares, as plain JSON: for `/api/connectors`, docs and the flow validator. */
export interface ConnectorManifest {
  id: string;
  version: string;
  sdkVersion: string;
  title: string | undefined;
  description: string | undefined;
  auth: { kind: string; secretNames: string[]; renewable: boolean };
  settings: JsonSchema | undefined;
  actions: {
    name: string;
    title: string | undefined;
    description: string | undefined;
    input: JsonSchema;
    output: JsonSchema;
    examples: { name: string; input: unknown }[];
  }[];
  triggers: {
    name: string;
    kind: 'webhook' | 'poll';
    title: string | undefined;
    description: string | undefined;
    events: string[];
    /** Webhook triggers: the secret their signatures are checked with. */
    secretName: string | undefined;
    payload: JsonSchema | undefined;
  }[];
}

/** The connector's declaration without its code: safe to serialise and show. */
export function connectorManifest(definition: ConnectorDefinition): ConnectorManifest {
  return {
    id: definition.id,
    version: definition.version,
    sdkVersion: definition.sdkVersion,
    title: definition.title,
    description: definition.description,
    auth: {
      kind: definition.auth.kind,
      secretNames: [...definition.auth.secretNames],
      renewable: definition.auth.renewable,
    },
    settings: definition.settings,
    actions: definition.actions.map((action) => ({
      name: action.name,
      title: action.title,
      description: action.description,
      input: action.input,
      output: action.output,
      examples: action.examples.map((example) => ({ name: example.name, input: example.input })),
    })),
    triggers: definition.triggers.map((trigger) => ({
      name: trigger.name,
      kind: trigger.kind,
      title: trigger.title,
      description: trigger.description,
      events: [...trigger.events],
      secretName: trigger.kind === 'webhook' ? trigger.secretName : undefined,
      payload: trigger.payload,
    })),
  };
}
