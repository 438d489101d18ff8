/** Cookie that carries the dashboard user's API key; HttpOnly so page scripts never see it. */
export const DASHBOARD_COOKIE = 'sb_dashboard';
const MAX_AGE_SECONDS = 8 * 3600;

/** Reads the API key from a request's `cookie` header, or undefined. */
export function dashboardKeyFrom(cookieHeader: string | undefined): string | undefined {
  if (cookieHeader === undefined) return undefined;
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== DASHBOARD_COOKIE) continue;
    const raw = part.slice(separator + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch (error) {
      // A cookie we did not write (bad percent-encoding) is no login.
      void error;
      return undefined;
    }
  }
  return undefined;
}

/**
 * The Set-Cookie value after a successful login. SameSite=Strict keeps other sites from posting
 * the dashboard's forms with it (no CSRF token needed); `secure` is added when served over HTTPS.
 */
export function loginCookie(apiKey: string, secure: boolean): string {
  return `${DASHBOARD_COOKIE}=${encodeURIComponent(apiKey)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${MAX_AGE_SECONDS}${secure ? '; Secure' : ''}`;
}

export function logoutCookie(): string {
  return `${DASHBOARD_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
