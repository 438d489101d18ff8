import { type SimulatedSystem } from '../common/simulated-system';
import { type RoutePattern } from '../common/route-pattern';

/** Faults answered at the HTTP edge, before the simulator sees the request. */
export const HTTP_FAULT_KINDS = ['429', '500', '502', '503', 'timeout', 'slow', 'reset'] as const;
/** Faults a simulator applies inside its own logic. */
export const BUSINESS_FAULT_KINDS = [
  'insufficient_funds',
  'invalid_payee',
  'amount_mismatch',
  'currency_mismatch',
] as const;
/** Faults of the webhook/notification publishers. */
export const WEBHOOK_FAULT_KINDS = ['duplicate_webhook', 'out_of_order_webhook'] as const;
export const FAULT_KINDS = [
  ...HTTP_FAULT_KINDS,
  ...BUSINESS_FAULT_KINDS,
  ...WEBHOOK_FAULT_KINDS,
] as const;

export type HttpFaultKind = (typeof HTTP_FAULT_KINDS)[number];
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which systems each non-HTTP fault makes sense for. */
export const FAULT_SYSTEMS: Record<
  Exclude<FaultKind, HttpFaultKind>,
  readonly SimulatedSystem[]
> = {
  insufficient_funds: ['payoneer'],
  invalid_payee: ['payoneer'],
  amount_mismatch: ['payoneer'],
  currency_mismatch: ['payoneer'],
  duplicate_webhook: ['clarity', 'payoneer'],
  out_of_order_webhook: ['clarity', 'payoneer'],
};

/** A fault rule as the control API accepts it. */
export interface FaultRuleSpec {
  system: SimulatedSystem;
  /** `METHOD /path` below the system base (globs `*`, `**`, `:param`), or an event name glob; default `*`. */
  route?: string;
  kind: FaultKind;
  /** Fire at most this many times; unlimited when absent. */
  count?: number;
  /** Chance of firing on each matching request/event, drawn from the rule's seeded stream; 1 when absent. */
  probability?: number;
  /** Let this many matches pass before the rule may fire. */
  after?: number;
  /** Retry-After for 429/503; null sends none. Default 1 for 429, none for 503. */
  retryAfterSeconds?: number | null;
  /** Delay for `slow` (default 2000) and how long `timeout` holds the connection (default 30000). */
  delayMs?: number;
  /** Extra seed for this rule's stream, to vary one rule without changing the sandbox seed. */
  seed?: number;
}

/** A stored rule with its live counters. */
export interface FaultRule extends FaultRuleSpec {
  id: string;
  route: string;
  /** Matching requests/events seen so far. */
  matched: number;
  /** Times it fired. */
  fired: number;
  /** Firings left, or null when unlimited. */
  remaining: number | null;
}

/** A rule plus its compiled route. */
export interface CompiledFaultRule {
  rule: FaultRule;
  pattern: RoutePattern;
}

/** One firing, kept so tests can see what was injected and where. */
export interface FaultInjection {
  ruleId: string;
  kind: FaultKind;
  system: SimulatedSystem;
  target: string;
  at: string;
}
