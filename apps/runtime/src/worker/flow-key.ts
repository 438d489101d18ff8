import type { CompiledFlow } from '@switchboard/flow-engine';

/** Evaluates the flow's `key` over the trigger event: the partition key and the order key. */
export async function computeFlowKey(flow: CompiledFlow, payload: unknown): Promise<string | null> {
  const value = await flow.key.evaluate(payload);
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`key must evaluate to a string or number, got ${Array.isArray(value) ? 'an array' : typeof value}`);
}
