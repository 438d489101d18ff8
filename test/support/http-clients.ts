import { ADMIN_HEADERS } from './runtime-harness';

/** What an admin API call answered: the status and the parsed JSON body (undefined when empty). */
export interface ApiAnswer {
  status: number;
  json: any;
}

export type AdminApi = (method: string, path: string, body?: unknown) => Promise<ApiAnswer>;
export type SandboxControl = (method: string, path: string, body?: unknown) => Promise<any>;

/** Calls the runtime's admin API as the bootstrap admin; `baseUrl` is read per call (set in beforeAll). */
export function adminApi(baseUrl: () => string): AdminApi {
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers:
        body === undefined
          ? ADMIN_HEADERS
          : { ...ADMIN_HEADERS, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };
}

/** Calls the sandbox's control API and fails the test unless it answers 2xx. */
export function sandboxControl(controlUrl: () => string): SandboxControl {
  return async (method, path, body) => {
    const response = await fetch(`${controlUrl()}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300)
      throw new Error(`sandbox control ${method} ${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

export type ClarityApi = (method: string, path: string, body?: unknown) => Promise<any>;

/** Calls the sandbox's Clarity API with its API key (`?apikey=`) and fails the test unless it answers 200. */
export function clarityApi(clarity: () => { url: string; apiKey: string }): ClarityApi {
  return async (method, path, body) => {
    const { url, apiKey } = clarity();
    const response = await fetch(`${url}${path}${path.includes('?') ? '&' : '?'}apikey=${apiKey}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 200)
      throw new Error(`clarity ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text);
  };
}

export interface DashboardAnswer {
  status: number;
  text: string;
  /** Where a button's 303 sends the browser (with its `notice`), '' otherwise. */
  location: string;
}

export type DashboardSession = (
  method: string,
  path: string,
  form?: Record<string, string>,
) => Promise<DashboardAnswer>;

/** Signs in to the dashboard with an API key, as its login form does; the client sends the session cookie and url-encoded forms. */
export async function dashboardSession(baseUrl: string, key: string): Promise<DashboardSession> {
  const login = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ apiKey: key }).toString(),
    redirect: 'manual',
  });
  if (login.status !== 303)
    throw new Error(`dashboard login answered ${login.status}: ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return async (method, path, form) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        cookie,
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body: form === undefined ? undefined : new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    return {
      status: response.status,
      text: await response.text(),
      location: decodeURIComponent(response.headers.get('location') ?? ''),
    };
  };
}
