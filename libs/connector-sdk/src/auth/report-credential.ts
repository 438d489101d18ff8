import { type AuthContext } from './auth-strategy';

/** Runs a token request or login and tells the observer how it went. */
export async function reportCredential<T>(
  context: AuthContext,
  strategy: string,
  obtain: () => Promise<T>,
): Promise<T> {
  try {
    const credential = await obtain();
    context.observer.credentialRequested?.({
      connectorId: context.connectorId,
      strategy,
      outcome: 'obtained',
    });
    return credential;
  } catch (error) {
    context.observer.credentialRequested?.({
      connectorId: context.connectorId,
      strategy,
      outcome: 'failed',
    });
    throw error;
  }
}
