import { type ConnectorSettings, type JsonSchema } from '@switchboard/connector-sdk';

/** The Payoneer connector's settings, as validated (defaults filled in). */
export interface PayoneerSettings {
  programId: string;
  accountId?: string;
  tokenUrl: string;
  receivedPaymentsLookbackDays: number;
}

/** JSON Schema of the settings, declared by the connector. */
export const PAYONEER_SETTINGS_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['programId'],
  additionalProperties: false,
  properties: {
    programId: {
      type: 'string',
      pattern: '^[0-9]+$',
      description: 'Mass payout program id (partner id), e.g. "100000001"',
    },
    accountId: {
      type: 'string',
      pattern: '^[0-9]+$',
      description: 'The merchant account id: needed for received payments',
    },
    tokenUrl: {
      type: 'string',
      minLength: 1,
      default: '/api/v2/oauth2/token',
      description:
        'OAuth2 token endpoint: absolute (https://login.payoneer.com/api/v2/oauth2/token) or a path on the base URL',
    },
    receivedPaymentsLookbackDays: {
      type: 'integer',
      minimum: 1,
      default: 7,
      description: 'How far back the first poll of received payments looks',
    },
  },
};

/** The settings the runtime validated against `PAYONEER_SETTINGS_SCHEMA`. */
export function payoneerSettings(settings: ConnectorSettings): PayoneerSettings {
  return settings as unknown as PayoneerSettings;
}
