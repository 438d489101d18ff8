import { type ConnectorSettings, type JsonSchema } from '@switchboard/connector-sdk';

/** The Clarity connector's settings, as validated (defaults filled in). */
export interface ClaritySettings {
  apiFlavour?: 'API' | 'API-Admin' | 'API-Storefront';
  authMode: 'session' | 'apiKey';
  pageSize: number;
  pollMaxPages: number;
  pollLookbackDays: number;
}

/** JSON Schema of the settings, declared by the connector. */
export const CLARITY_SETTINGS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiFlavour: {
      enum: ['API', 'API-Admin', 'API-Storefront'],
      description:
        'Unset (default): the base URL is the service base (https://<store>/DesktopModules/ClarityEcommerce/API). Set: the base URL is the store and /DesktopModules/ClarityEcommerce/<flavour> is added',
    },
    authMode: {
      enum: ['session', 'apiKey'],
      default: 'session',
      description:
        'session: ServiceStack credentials login (secrets username, password), re-login on expiry; apiKey: secret apiKey sent as Bearer',
    },
    pageSize: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    pollMaxPages: {
      type: 'integer',
      minimum: 1,
      default: 10,
      description: 'Pages one poll reads at most; the cursor resumes where it stopped',
    },
    pollLookbackDays: {
      type: 'integer',
      minimum: 1,
      default: 7,
      description: 'How far back the first poll (no cursor yet) looks',
    },
  },
};

/** The settings the runtime validated against `CLARITY_SETTINGS_SCHEMA`. */
export function claritySettings(settings: ConnectorSettings): ClaritySettings {
  return settings as unknown as ClaritySettings;
}

/** The path of a Clarity route below the base URL: `/Ordering/SalesOrders`, or with a flavour `/DesktopModules/ClarityEcommerce/API/Ordering/SalesOrders`. */
export function clarityPath(settings: ConnectorSettings, route: string): string {
  const flavour = claritySettings(settings).apiFlavour;
  const prefix = flavour === undefined ? '' : `/DesktopModules/ClarityEcommerce/${flavour}`;
  return `${prefix}/${route.replace(/^\/+/, '')}`;
}
