import type jsonata from 'jsonata';
import { recursiveFunctionBodies } from './recursive-function-bodies';

/**
 * The binding through which the evaluate hooks find the guard of the evaluation they run in.
 * A compiled mapping is shared by concurrent evaluations, so the state cannot live in the hooks
 * themselves (as in the timebox of JSONata's test suite): each evaluation binds its own.
 */
export const EVALUATION_GUARD_BINDING = '__switchboardEvaluationGuard';

const EVALUATE_ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EVALUATE_EXIT = Symbol.for('jsonata.__evaluate_exit');

/** Thrown inside JSONata when a limit is hit; the compiled mapping turns it into a MappingEvaluationError. */
export class EvaluationLimitExceeded extends Error {
  override readonly name = 'EvaluationLimitExceeded';

  constructor(
    readonly reason: 'timeout' | 'depth' | 'abandoned',
    message: string,
    /** JSONata fills this in with the position of the call that was waiting, when we do not know it. */
    public position: number | undefined,
  ) {
    super(message);
  }
}

/** The message of every timeout, whether JSONata's own step check or a wait on $lookup / $fx hit it. */
export function timeoutMessage(timeoutMs: number, detail = ''): string {
  return `evaluation timed out after ${timeoutMs} ms${detail}: an endless loop, or too much work for one event?`;
}

/** Recursion bookkeeping of one evaluation. */
export class EvaluationGuard {
  private depth = 0;
  private finished = false;

  constructor(private readonly maxDepth: number) {}

  /** Called on each JSONata evaluation step; `isCall` when the step enters a function that may recurse. */
  enter(node: jsonata.ExprNode, isCall: boolean): void {
    if (this.finished) {
      // A sibling branch failed and the evaluation is over: stop the branches still running.
      throw new EvaluationLimitExceeded('abandoned', 'the evaluation already ended', node.position);
    }
    if (!isCall) return;
    this.depth += 1;
    if (this.depth > this.maxDepth) {
      throw new EvaluationLimitExceeded(
        'depth',
        `recursion deeper than ${this.maxDepth} calls: a recursive function that never reaches its base case? ` +
          '(recursive calls running side by side count too)',
        node.position,
      );
    }
  }

  /** Called when a JSONata evaluation step returns. */
  exit(isCall: boolean): void {
    if (isCall) this.depth -= 1;
  }

  /** Marks the evaluation over, so branches still running in the background stop at their next step. */
  finish(): void {
    this.finished = true;
  }
}

/** The guard of the evaluation `environment` belongs to, if it has one. */
export function guardOf(environment: {
  lookup(name: string): unknown;
}): EvaluationGuard | undefined {
  return environment.lookup(EVALUATION_GUARD_BINDING) as EvaluationGuard | undefined;
}

/**
 * Installs evaluate entry/exit hooks that bound recursion, once per compiled expression, and
 * returns the function bodies they count (empty: no hooks installed). Hooks cost every step of
 * every evaluation, so a mapping without functions that may recurse goes without them: its
 * nesting is bounded by its own text. Elapsed time is JSONata's own per-evaluation check (its
 * `timeout` option), made on each step.
 */
export function installEvaluationGuard(
  expression: Pick<jsonata.Expression, 'ast' | 'assign'>,
): ReadonlySet<unknown> {
  const recursiveBodies = recursiveFunctionBodies(expression.ast());
  if (recursiveBodies.size === 0) return recursiveBodies;
  // The typings only admit string names; JSONata looks its hooks up by these symbols.
  expression.assign(
    EVALUATE_ENTRY as unknown as string,
    (node: jsonata.ExprNode, _input: unknown, environment: jsonata.Environment) => {
      guardOf(environment)?.enter(node, recursiveBodies.has(node));
    },
  );
  expression.assign(
    EVALUATE_EXIT as unknown as string,
    (node: jsonata.ExprNode, _input: unknown, environment: jsonata.Environment) => {
      guardOf(environment)?.exit(recursiveBodies.has(node));
    },
  );
  return recursiveBodies;
}

/**
 * `pending`, or a timeout once the evaluation that `focus` belongs to has used up `timeoutMs`.
 * JSONata's own check runs only between steps, so a function that never answers needs this.
 */
export async function withinTimeBudget<T>(
  focus: jsonata.Focus,
  timeoutMs: number,
  pending: Promise<T>,
  waitingFor: string,
): Promise<T> {
  // JSONata stamps each evaluation with its start time, which its frames share.
  const startedAt = focus.environment.timestamp?.getTime() ?? Date.now();
  const remainingMs = timeoutMs - (Date.now() - startedAt);
  const expiry = (): EvaluationLimitExceeded =>
    new EvaluationLimitExceeded(
      'timeout',
      timeoutMessage(timeoutMs, ` waiting for ${waitingFor}`),
      undefined,
    );
  if (remainingMs <= 0) throw expiry();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(expiry()), remainingMs);
  });
  try {
    return await Promise.race([pending, expired]);
  } finally {
    clearTimeout(timer);
  }
}
