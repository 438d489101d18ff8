import { defineConnector, oauth2ClientCredentials } from '@switchboard/connector-sdk';

import { cancelPayout } from './actions/cancel-payout.action';
import { getAccountBalances } from './actions/get-account-balances.action';
import { getBalance } from './actions/get-balance.action';
import { getExchangeRate } from './actions/get-exchange-rate.action';
import { getPayeeStatus } from './actions/get-payee-status.action';
import { getPayoutStatus } from './actions/get-payout-status.action';
import { listReceivedPayments } from './actions/list-received-payments.action';
import { submitPayouts } from './actions/submit-payouts.action';
import { classifyPayoneerError } from './payoneer.errors';
import { programPath } from './payoneer-paths';
import { PAYONEER_SETTINGS_SCHEMA, payoneerSettings } from './payoneer-settings';
import { paymentReceived } from './triggers/payment-received.trigger';
import { payoutNotifications } from './triggers/payout-notifications.trigger';
import { receivedPayments } from './triggers/received-payments.trigger';

/**
 * Payoneer Mass Payouts v4 (OAuth2 client credentials): payouts by client reference id, their
 * status and cancellation, program balance, payees, received payments with fees and FX, and
 * signed IPCN notifications. Base URL: the API host (`https://api.payoneer.com`).
 */
export default defineConnector({
  id: 'payoneer',
  version: '1.0.0',
  sdkVersion: '^1.0.0',
  title: 'Payoneer',
  description: 'Mass payouts, payees, balances and received payments (API v4)',
  auth: oauth2ClientCredentials({
    tokenUrl: (settings) => payoneerSettings(settings).tokenUrl,
    scope: 'read write',
  }),
  settings: PAYONEER_SETTINGS_SCHEMA,
  http: { timeoutMs: 15_000, retry: { maxAttempts: 4, initialDelayMs: 250, maxDelayMs: 5_000 } },
  actions: [
    submitPayouts,
    getPayoutStatus,
    cancelPayout,
    getBalance,
    getAccountBalances,
    getPayeeStatus,
    listReceivedPayments,
    getExchangeRate,
  ],
  triggers: [payoutNotifications, paymentReceived, receivedPayments],
  classifyError: classifyPayoneerError,
  async healthCheck({ http, settings }) {
    await http.get(programPath(settings, 'balance'));
  },
});
