/** The three systems the sandbox imitates. */
export const SIMULATED_SYSTEMS = ['clarity', 'payoneer', 'erp'] as const;
export type SimulatedSystem = (typeof SIMULATED_SYSTEMS)[number];

/** Where each simulator is mounted; Clarity also answers on its API-Admin and API-Storefront bases. */
export const SYSTEM_BASE_PATHS: Record<SimulatedSystem, string> = {
  clarity: '/clarity/DesktopModules/ClarityEcommerce/API',
  payoneer: '/payoneer',
  erp: '/erp',
};

const PREFIXES: ReadonlyArray<[SimulatedSystem, RegExp]> = [
  ['clarity', /^\/clarity\/DesktopModules\/ClarityEcommerce\/API(?:-Admin|-Storefront)?(?=\/|$)/i],
  ['payoneer', /^\/payoneer(?=\/|$)/],
  ['erp', /^\/erp(?=\/|$)/],
];

/** A request seen from inside one simulated system. */
export interface SystemRoute {
  system: SimulatedSystem;
  /** The decoded path below the system's base, e.g. `/api/resource/Journal Entry`. */
  path: string;
}

/** Says which simulated system a URL belongs to, or undefined for the sandbox's own routes. */
export function locateSystemRoute(url: string): SystemRoute | undefined {
  const rawPath = url.split('?', 1)[0] ?? '';
  for (const [system, prefix] of PREFIXES) {
    const match = prefix.exec(rawPath);
    if (match) return { system, path: safeDecode(rawPath.slice(match[0].length)) || '/' };
  }
  return undefined;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch (error) {
    // A malformed escape is the client's problem; match on the raw path instead.
    void error;
    return path;
  }
}
