import { defineConnector } from '@switchboard/connector-sdk';

import { getAccountBalance } from './actions/get-account-balance.action';
import { getSalesOrder } from './actions/get-sales-order.action';
import { listAccounts } from './actions/list-accounts.action';
import { listCommissions } from './actions/list-commissions.action';
import { listPayments } from './actions/list-payments.action';
import { listSalesOrders } from './actions/list-sales-orders.action';
import { updateCommissionStatus } from './actions/update-commission-status.action';
import { updateOrderStatus } from './actions/update-order-status.action';
import { clarityAuth } from './clarity-auth';
import { classifyClarityError } from './clarity.errors';
import { CLARITY_SETTINGS_SCHEMA, clarityPath } from './clarity-settings';
import { listModifiedOrders } from './triggers/list-modified-orders.trigger';
import { orderEvents } from './triggers/order-events.trigger';

/**
 * Clarity eCommerce (ServiceStack): sales orders with `ModifiedSince` paging, payments,
 * accounts and what affiliates and vendors are owed, order and commission status updates;
 * signed order/payment events and a polling trigger. Base URL: the service base
 * (`https://<store>/DesktopModules/ClarityEcommerce/API`), or the store with `settings.apiFlavour`.
 */
export default defineConnector({
  id: 'clarity',
  version: '1.0.0',
  sdkVersion: '^1.0.0',
  title: 'Clarity eCommerce',
  description: 'Sales orders, payments, accounts and commissions through the Clarity API',
  auth: clarityAuth(),
  settings: CLARITY_SETTINGS_SCHEMA,
  http: { timeoutMs: 15_000, retry: { maxAttempts: 4, initialDelayMs: 200, maxDelayMs: 5_000 } },
  actions: [
    getSalesOrder,
    listSalesOrders,
    listPayments,
    updateOrderStatus,
    listAccounts,
    getAccountBalance,
    listCommissions,
    updateCommissionStatus,
  ],
  triggers: [orderEvents, listModifiedOrders],
  classifyError: classifyClarityError,
  async healthCheck({ http, settings }) {
    await http.get(clarityPath(settings, 'Ordering/SalesOrders'), {
      query: { 'Paging.StartIndex': 1, 'Paging.Size': 1 },
    });
  },
});
