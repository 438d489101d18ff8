import { type AuthStrategy, apiKey, sessionLogin } from '@switchboard/connector-sdk';

import { clarityPath, claritySettings } from './clarity-settings';

const session = sessionLogin();

/**
 * Clarity's two ways in, chosen by `settings.authMode`: a ServiceStack session
 * (`POST …/auth/credentials`, `ss-id`/`ss-pid` cookies, logged in again on 401), declared as
 * the connector's strategy; or an API key (secret `apiKey`) sent as `Authorization: Bearer`.
 */
export function clarityAuth(): AuthStrategy {
  return {
    kind: session.kind,
    secretNames: session.secretNames,
    renewable: session.renewable,
    create(context) {
      if (claritySettings(context.settings).authMode === 'apiKey') {
        return apiKey({
          header: 'Authorization',
          secretNames: ['apiKey'],
          format: (secrets) => `Bearer ${secrets['apiKey'] ?? ''}`,
        }).create(context);
      }
      return sessionLogin({ loginPath: clarityPath(context.settings, 'auth/credentials') }).create(
        context,
      );
    },
  };
}
