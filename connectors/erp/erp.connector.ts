import { apiKey, defineConnector } from '@switchboard/connector-sdk';

import { findJournalEntry } from './actions/find-journal-entry.action';
import { getAccounts } from './actions/get-accounts.action';
import { postJournalEntry } from './actions/post-journal-entry.action';
import { classifyErpError } from './erp.errors';
import { ERP_SETTINGS_SCHEMA } from './erp-settings';

/**
 * ERPNext / Frappe REST (`/api/resource/...`): journal entries posted idempotently by a unique
 * reference field, and the chart of accounts. Token auth `Authorization: token key:secret`.
 */
export default defineConnector({
  id: 'erp',
  version: '1.0.0',
  sdkVersion: '^1.0.0',
  title: 'ERPNext',
  description: 'Journal entries and accounts through the Frappe REST API',
  auth: apiKey({
    header: 'Authorization',
    secretNames: ['apiKey', 'apiSecret'],
    format: (secrets) => `token ${secrets['apiKey'] ?? ''}:${secrets['apiSecret'] ?? ''}`,
  }),
  settings: ERP_SETTINGS_SCHEMA,
  http: { timeoutMs: 15_000, retry: { maxAttempts: 4, initialDelayMs: 200, maxDelayMs: 5_000 } },
  actions: [postJournalEntry, findJournalEntry, getAccounts],
  classifyError: classifyErpError,
  async healthCheck({ http }) {
    await http.get('/api/method/frappe.auth.get_logged_user');
  },
});
