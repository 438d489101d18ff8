/**
 * A fault rule's target: either an HTTP route (`POST /v4/programs/:programId/masspayouts`,
 * `GET /Ordering/**`, `*`) or an event name glob (`CancelPayout`, `order.*`).
 * `:name` and `*` match one path segment, `**` any number; matching ignores case because
 * ServiceStack routes do.
 */
export class RoutePattern {
  private constructor(
    readonly text: string,
    private readonly method: string | undefined,
    private readonly segments: string[] | undefined,
    private readonly eventGlob: RegExp | undefined,
  ) {}

  /** Parses a pattern; throws with the reason when it cannot be one. */
  static parse(text: string): RoutePattern {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed === '*' || trimmed === '**')
      return new RoutePattern(trimmed || '*', undefined, undefined, undefined);
    const [first, ...rest] = trimmed.split(/\s+/);
    if (first === undefined) throw new Error('empty route pattern');
    const hasMethod = rest.length > 0;
    if (rest.length > 1)
      throw new Error(`route "${text}" must be "METHOD /path" or "/path" or an event name`);
    const method = hasMethod ? first.toUpperCase() : undefined;
    if (method !== undefined && !/^(\*|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(method)) {
      throw new Error(`route "${text}": unknown HTTP method "${first}"`);
    }
    const target = hasMethod ? (rest[0] ?? '') : first;
    if (target.startsWith('/')) {
      return new RoutePattern(
        trimmed,
        method === '*' ? undefined : method,
        splitPath(target.toLowerCase()),
        undefined,
      );
    }
    if (hasMethod) throw new Error(`route "${text}": the path must start with "/"`);
    const glob = new RegExp(`^${target.split('*').map(escapeRegExp).join('.*')}$`, 'i');
    return new RoutePattern(trimmed, undefined, undefined, glob);
  }

  /** What the pattern can match: everything, HTTP requests, or event names. */
  get target(): 'any' | 'request' | 'event' {
    if (this.segments !== undefined) return 'request';
    if (this.eventGlob !== undefined) return 'event';
    return this.method === undefined ? 'any' : 'request';
  }

  /** True when the pattern matches every request and event. */
  get matchesEverything(): boolean {
    return this.segments === undefined && this.eventGlob === undefined && this.method === undefined;
  }

  /** Does an HTTP request (path relative to its system) match? */
  matchesRequest(method: string, path: string): boolean {
    if (this.matchesEverything) return true;
    if (this.segments === undefined) return false;
    if (this.method !== undefined && this.method !== method.toUpperCase()) return false;
    return matchSegments(this.segments, splitPath(path.toLowerCase()));
  }

  /** Does an event name match? */
  matchesEvent(event: string): boolean {
    if (this.matchesEverything) return true;
    return this.eventGlob?.test(event) ?? false;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: string[], path: string[]): boolean {
  const [head, ...tail] = pattern;
  if (head === undefined) return path.length === 0;
  if (head === '**') {
    for (let skip = 0; skip <= path.length; skip += 1)
      if (matchSegments(tail, path.slice(skip))) return true;
    return false;
  }
  const [segment, ...restOfPath] = path;
  if (segment === undefined) return false;
  if (head !== '*' && !head.startsWith(':') && head !== segment) return false;
  return matchSegments(tail, restOfPath);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
