const REDACTED = '[REDACTED]';

/** Field and header names whose values are never logged, whatever they hold. */
const SENSITIVE_NAME =
  /authorization|cookie|password|passwd|secret|token|api[-_]?key|ss-id|ss-pid|session[-_]?id|^sid$|signature|credential/i;

/** Values shorter than this are not redacted by value: replacing "1" everywhere would garble logs. */
const MIN_SECRET_LENGTH = 4;

/**
 * Removes secrets from anything about to be logged: by field name (authorization, password, …) and
 * by value (every secret the connector resolved and every token it obtained is registered here),
 * so a secret echoed in a URL, a body or a remote error message is still hidden.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret value (and its URL/form-encoded forms) to be hidden wherever it appears. */
  add(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    this.secrets.add(value);
    this.secrets.add(encodeURIComponent(value));
    this.secrets.add(new URLSearchParams({ v: value }).toString().slice(2));
  }

  /** True when the name (of a header, field or query parameter) marks a sensitive value. */
  isSensitiveName(name: string): boolean {
    return SENSITIVE_NAME.test(name);
  }

  /** The text with every registered secret replaced. */
  redactText(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }

  /** A deep copy of a loggable value with sensitive fields and registered secrets replaced. */
  redact(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 8) return '[…]';
    if (Buffer.isBuffer(value)) return this.redactText(value.toString('utf8'));
    if (Array.isArray(value)) return value.map((item) => this.redact(item, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = this.isSensitiveName(key) ? REDACTED : this.redact(item, depth + 1);
    }
    return copy;
  }

  /** A URL safe to log: sensitive query parameters and registered secrets replaced. */
  redactUrl(url: URL): string {
    const copy = new URL(url.href);
    copy.username = '';
    copy.password = '';
    for (const name of [...copy.searchParams.keys()]) {
      if (this.isSensitiveName(name)) copy.searchParams.set(name, REDACTED);
    }
    return this.redactText(copy.href);
  }
}
