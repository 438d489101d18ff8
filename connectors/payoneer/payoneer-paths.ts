import { ConnectorError, type ConnectorSettings } from '@switchboard/connector-sdk';

import { payoneerSettings } from './payoneer-settings';

/** The v4 path of a program resource: `/v4/programs/{programId}/<rest>`. */
export function programPath(settings: ConnectorSettings, rest: string): string {
  return `/v4/programs/${encodeURIComponent(payoneerSettings(settings).programId)}/${rest}`;
}

/** The v4 path of an account resource; the account id is a setting some installations leave out. */
export function accountPath(settings: ConnectorSettings, rest: string): string {
  const { accountId } = payoneerSettings(settings);
  if (accountId === undefined) {
    throw new ConnectorError(
      'config',
      'settings.accountId is not set: received payments are read from the merchant account',
      { code: 'ACCOUNT_ID_UNSET' },
    );
  }
  return `/v4/accounts/${encodeURIComponent(accountId)}/${rest}`;
}
