// Own properties JSONata hangs on the arrays it builds; they must not leak into flow output.
const SEQUENCE_FLAGS = [
  'sequence',
  'keepSingleton',
  'outerWrapper',
  'tupleStream',
  'cons',
] as const;

/**
 * A JSONata result as plain JSON values: sequence arrays become plain arrays, prototype-less
 * objects ordinary ones, functions are dropped (as JSON.stringify would drop them). Copies only the parts that change, so values
 * passed through from the input are returned as they are.
 */
export function toPlainJson(value: unknown): unknown {
  if (typeof value === 'function') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return plainArray(value as unknown[]);
  if (isJsonataFunction(value)) return undefined;
  return plainObject(value as Record<string, unknown>);
}

function plainArray(items: unknown[]): unknown[] {
  let copy = SEQUENCE_FLAGS.some((flag) => Object.prototype.hasOwnProperty.call(items, flag))
    ? items.slice()
    : undefined;
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index];
    const plain = toPlainJson(item);
    if (plain !== item) {
      copy ??= items.slice();
      copy[index] = plain ?? null;
    }
  }
  return copy ?? items;
}

function plainObject(record: Record<string, unknown>): Record<string, unknown> {
  // JSONata builds objects without a prototype; callers expect ordinary objects.
  let copy: Record<string, unknown> | undefined =
    Object.getPrototypeOf(record) === null ? { ...record } : undefined;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    const member = record[key];
    const plain = toPlainJson(member);
    if (plain !== member) {
      copy ??= { ...record };
      if (plain === undefined) delete copy[key];
      else copy[key] = plain;
    }
  }
  return copy ?? record;
}

function isJsonataFunction(value: object): boolean {
  const marked = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return marked._jsonata_lambda === true || marked._jsonata_function === true;
}
