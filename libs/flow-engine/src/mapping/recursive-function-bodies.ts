/** The parts of JSONata's AST nodes this analysis reads. */
interface AstNode {
  type?: unknown;
  value?: unknown;
  thunk?: unknown;
  body?: unknown;
  arguments?: unknown;
  procedure?: unknown;
  lhs?: unknown;
  rhs?: unknown;
}

/**
 * The bodies of the mapping's own functions that may take part in a recursion: a function
 * whose body reaches back to its own name through `:=`-bound functions, or that calls something
 * it cannot name (a function parameter, a non-function binding, a computed callee).
 *
 * Only these calls count towards maxDepth. A function that can never recurse cannot nest
 * deeper than the expression itself, while calls of it run side by side in large numbers
 * (a group-by calling `$money` once per key) and must not read as a runaway recursion.
 * Recursion hidden in a function handed to a built-in through a parameter is left to the timeout.
 */
export function recursiveFunctionBodies(ast: unknown): Set<unknown> {
  const lambdas: AstNode[] = [];
  const boundFunctions = new Map<string, AstNode[]>();
  const opaqueNames = new Set<string>();
  for (const node of nodesUnder(ast)) {
    if (isUserLambda(node)) {
      lambdas.push(node);
      for (const parameter of asArray(node.arguments)) {
        const name = variableName(parameter);
        if (name !== undefined) opaqueNames.add(name);
      }
    } else if (node.type === 'bind') {
      const name = variableName(node.lhs);
      if (name === undefined) continue;
      const value = node.rhs as AstNode | undefined;
      if (value !== undefined && isUserLambda(value))
        boundFunctions.set(name, [...(boundFunctions.get(name) ?? []), value]);
      else opaqueNames.add(name);
    }
  }

  const calls = new Map<AstNode, AstNode[]>();
  const callsUnknown = new Set<AstNode>();
  for (const lambda of lambdas) {
    const reached: AstNode[] = [];
    for (const node of nodesUnder(lambda.body)) {
      const name = node.type === 'variable' ? variableName(node) : undefined;
      if (name !== undefined) reached.push(...(boundFunctions.get(name) ?? []));
      const callee =
        node.type === 'function' || node.type === 'partial'
          ? node.procedure
          : node.type === 'apply'
            ? node.rhs
            : undefined;
      if (callee !== undefined && !isNameableCallee(callee, opaqueNames)) callsUnknown.add(lambda);
    }
    calls.set(lambda, reached);
  }

  const bodies = new Set<unknown>();
  for (const lambda of lambdas) {
    if (callsUnknown.has(lambda) || reaches(lambda, lambda, calls)) bodies.add(lambda.body);
  }
  return bodies;
}

/** A callee that is a built-in, a registered function, a `:=`-bound function, or a function literal or call written in place. */
function isNameableCallee(callee: unknown, opaqueNames: Set<string>): boolean {
  const node = callee as AstNode;
  const name = variableName(node);
  if (name !== undefined) return !opaqueNames.has(name);
  // `x ~> $f(2)` and `x ~> function($v){ … }`: the call or lambda is analysed where it stands.
  return node.type === 'function' || node.type === 'partial' || isUserLambda(node);
}

function reaches(from: AstNode, target: AstNode, calls: Map<AstNode, AstNode[]>): boolean {
  const seen = new Set<AstNode>();
  const pending = [...(calls.get(from) ?? [])];
  while (pending.length > 0) {
    const next = pending.pop() as AstNode;
    if (next === target) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...(calls.get(next) ?? []));
  }
  return false;
}

function isUserLambda(node: AstNode): boolean {
  // Tail-call thunks are JSONata's own wrappers; their bodies are never entered as a whole.
  return node.type === 'lambda' && node.thunk !== true && node.body !== undefined;
}

function variableName(node: unknown): string | undefined {
  const candidate = node as AstNode | undefined;
  return candidate?.type === 'variable' && typeof candidate.value === 'string'
    ? candidate.value
    : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** Every AST node under `root`, itself included, each once. */
function* nodesUnder(root: unknown): Generator<AstNode> {
  const seen = new Set<object>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    if (!Array.isArray(value)) yield value;
    for (const child of Object.values(value)) pending.push(child);
  }
}
