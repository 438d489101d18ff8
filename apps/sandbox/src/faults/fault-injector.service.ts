import { Inject, Injectable } from '@nestjs/common';
import { RandomSource } from '../common/random-source';
import { RoutePattern } from '../common/route-pattern';
import { SIMULATED_SYSTEMS, type SimulatedSystem } from '../common/simulated-system';
import { SandboxClock } from '../common/sandbox-clock';
import {
  type CompiledFaultRule,
  FAULT_KINDS,
  FAULT_SYSTEMS,
  type FaultInjection,
  type FaultKind,
  type FaultRule,
  type FaultRuleSpec,
  HTTP_FAULT_KINDS,
  type HttpFaultKind,
} from './fault-rule';

/** A fault rule that does not make sense; the message names the field. */
export class FaultRuleError extends Error {
  override readonly name = 'FaultRuleError';
}

const MAX_LOG = 1_000;
// Kinds decided when an event is produced, so their route names an event, not a request.
const EVENT_KINDS: readonly FaultKind[] = [
  'amount_mismatch',
  'currency_mismatch',
  'duplicate_webhook',
  'out_of_order_webhook',
];

/** Holds fault rules and decides, with seeded randomness, when each one fires. */
@Injectable()
export class FaultInjector {
  private rules: CompiledFaultRule[] = [];
  private injections: FaultInjection[] = [];
  private nextId = 1;

  constructor(
    @Inject(RandomSource) private readonly random: RandomSource,
    @Inject(SandboxClock) private readonly clock: SandboxClock,
  ) {}

  /** Validates and stores a rule. */
  add(spec: FaultRuleSpec): FaultRule {
    const pattern = this.validate(spec);
    const rule: FaultRule = {
      ...spec,
      id: `fault-${this.nextId++}`,
      route: pattern.text,
      matched: 0,
      fired: 0,
      remaining: spec.count ?? null,
    };
    this.rules.push({ rule, pattern });
    return rule;
  }

  /** Every rule with its counters, oldest first. */
  list(): FaultRule[] {
    return this.rules.map(({ rule }) => ({ ...rule }));
  }

  /** Every firing so far, oldest first (bounded). */
  log(): FaultInjection[] {
    return [...this.injections];
  }

  /** Deletes one rule; false when there was none. */
  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter(({ rule }) => rule.id !== id);
    return this.rules.length !== before;
  }

  /** Deletes every rule and the firing log. */
  clear(): void {
    this.rules = [];
    this.injections = [];
    this.nextId = 1;
  }

  /** The HTTP-edge fault that fires for this request, if any. */
  forRequest(system: SimulatedSystem, method: string, path: string): FaultRule | undefined {
    return this.fire(
      system,
      (kind) => (HTTP_FAULT_KINDS as readonly string[]).includes(kind),
      (pattern) => pattern.matchesRequest(method, path),
      `${method.toUpperCase()} ${path}`,
    );
  }

  /** Fires a business fault of `kind` for a request, if a rule says so. */
  forBusinessRequest(
    system: SimulatedSystem,
    kind: FaultKind,
    method: string,
    path: string,
  ): FaultRule | undefined {
    return this.fire(
      system,
      (candidate) => candidate === kind,
      (pattern) => pattern.matchesRequest(method, path),
      `${method.toUpperCase()} ${path}`,
    );
  }

  /** Fires a fault of `kind` for a named event (webhooks, received payments), if a rule says so. */
  forEvent(system: SimulatedSystem, kind: FaultKind, event: string): FaultRule | undefined {
    return this.fire(
      system,
      (candidate) => candidate === kind,
      (pattern) => pattern.matchesEvent(event),
      event,
    );
  }

  private fire(
    system: SimulatedSystem,
    kindMatches: (kind: FaultKind) => boolean,
    targetMatches: (pattern: RoutePattern) => boolean,
    target: string,
  ): FaultRule | undefined {
    for (const { rule, pattern } of this.rules) {
      if (rule.system !== system || !kindMatches(rule.kind) || !targetMatches(pattern)) continue;
      rule.matched += 1;
      if (rule.matched <= (rule.after ?? 0)) continue;
      if (rule.remaining === 0) continue;
      const stream = this.random.stream(`fault:${rule.id}:${rule.seed ?? ''}`);
      if (rule.probability !== undefined && !stream.chance(rule.probability)) continue;
      rule.fired += 1;
      if (rule.remaining !== null) rule.remaining -= 1;
      this.injections.push({
        ruleId: rule.id,
        kind: rule.kind,
        system,
        target,
        at: this.clock.now().toISOString(),
      });
      if (this.injections.length > MAX_LOG) this.injections.shift();
      return { ...rule };
    }
    return undefined;
  }

  private validate(spec: FaultRuleSpec): RoutePattern {
    if (!(SIMULATED_SYSTEMS as readonly string[]).includes(spec.system)) {
      throw new FaultRuleError(
        `system must be one of ${SIMULATED_SYSTEMS.join(', ')}; got "${String(spec.system)}"`,
      );
    }
    if (!(FAULT_KINDS as readonly string[]).includes(spec.kind)) {
      throw new FaultRuleError(
        `kind must be one of ${FAULT_KINDS.join(', ')}; got "${String(spec.kind)}"`,
      );
    }
    if (!isHttpKind(spec.kind)) {
      const allowed = FAULT_SYSTEMS[spec.kind];
      if (!allowed.includes(spec.system)) {
        throw new FaultRuleError(
          `kind "${spec.kind}" applies to ${allowed.join(', ')}, not to "${spec.system}"`,
        );
      }
    }
    if (spec.count !== undefined && (!Number.isInteger(spec.count) || spec.count < 1)) {
      throw new FaultRuleError(`count must be a positive integer; got ${String(spec.count)}`);
    }
    if (spec.after !== undefined && (!Number.isInteger(spec.after) || spec.after < 0)) {
      throw new FaultRuleError(`after must be a non-negative integer; got ${String(spec.after)}`);
    }
    if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1)) {
      throw new FaultRuleError(`probability must be in [0, 1]; got ${String(spec.probability)}`);
    }
    if (
      spec.delayMs !== undefined &&
      (!Number.isInteger(spec.delayMs) || spec.delayMs < 0 || spec.delayMs > 600_000)
    ) {
      throw new FaultRuleError(
        `delayMs must be an integer in [0, 600000]; got ${String(spec.delayMs)}`,
      );
    }
    if (
      spec.retryAfterSeconds !== undefined &&
      spec.retryAfterSeconds !== null &&
      (!Number.isInteger(spec.retryAfterSeconds) || spec.retryAfterSeconds < 0)
    ) {
      throw new FaultRuleError(
        `retryAfterSeconds must be a non-negative integer or null; got ${String(spec.retryAfterSeconds)}`,
      );
    }
    let pattern: RoutePattern;
    try {
      pattern = RoutePattern.parse(spec.route ?? '*');
    } catch (error) {
      throw new FaultRuleError(`route: ${(error as Error).message}`);
    }
    const wants = EVENT_KINDS.includes(spec.kind) ? 'event' : 'request';
    if (pattern.target !== 'any' && pattern.target !== wants) {
      throw new FaultRuleError(
        wants === 'event'
          ? `route for kind "${spec.kind}" must be "*" or an event name glob (e.g. "CancelPayout", "order.*"); got "${pattern.text}"`
          : `route for kind "${spec.kind}" must be "*" or "METHOD /path" below the ${spec.system} base; got "${pattern.text}"`,
      );
    }
    return pattern;
  }
}

/** True for kinds answered at the HTTP edge. */
export function isHttpKind(kind: FaultKind): kind is HttpFaultKind {
  return (HTTP_FAULT_KINDS as readonly string[]).includes(kind);
}
