import { type ConnectorSettings, type JsonSchema } from '@switchboard/connector-sdk';

/** The account roles flows may name instead of an account (`@feesExpense`), set per installation. */
export const ERP_ACCOUNT_ROLES = [
  'receivable',
  'payoneerClearing',
  'revenue',
  'feesExpense',
  'fxGainLoss',
] as const;
export type ErpAccountRole = (typeof ERP_ACCOUNT_ROLES)[number];

/** The ERP connector's settings, as validated (defaults filled in). */
export interface ErpSettings {
  company: string;
  companyCurrency: string;
  referenceField: string;
  costCenter?: string;
  submit: boolean;
  accounts: Partial<Record<ErpAccountRole, string>>;
}

/** JSON Schema of the settings, declared by the connector. */
export const ERP_SETTINGS_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['company'],
  additionalProperties: false,
  properties: {
    company: { type: 'string', minLength: 1, description: 'ERP company the entries belong to' },
    companyCurrency: {
      type: 'string',
      pattern: '^[A-Z]{3}$',
      default: 'USD',
      description: 'Entries in another currency are posted with multi_currency set',
    },
    referenceField: {
      type: 'string',
      minLength: 1,
      default: 'custom_sb_reference',
      description:
        'Journal Entry field holding the idempotency reference; must be a UNIQUE custom field (ERPNext Custom Field, unique=1)',
    },
    costCenter: {
      type: 'string',
      minLength: 1,
      description: 'Cost center put on lines that name none (profit-and-loss accounts need one)',
    },
    submit: {
      type: 'boolean',
      default: true,
      description:
        'Submit entries (docstatus 1) so they reach the general ledger; false keeps drafts',
    },
    accounts: {
      type: 'object',
      default: {},
      additionalProperties: false,
      description: 'Account names per role; a line may name its account as "@<role>"',
      properties: Object.fromEntries(
        ERP_ACCOUNT_ROLES.map((role) => [role, { type: 'string', minLength: 1 }]),
      ),
    },
  },
};

/** The settings the runtime validated against `ERP_SETTINGS_SCHEMA`. */
export function erpSettings(settings: ConnectorSettings): ErpSettings {
  return settings as unknown as ErpSettings;
}
