import { isDeepStrictEqual } from 'node:util';

/** One change that would make a consumer using the new schema refuse data written with the previous one. */
export interface CompatibilityIssue {
  /** Where in the data the change bites, dotted: `totals.total.amount`, `lines[].debit`; empty for the value itself. */
  path: string;
  message: string;
}

type SchemaNode = Record<string, unknown>;
type Bound = { value: number; exclusive: boolean };

/** Keywords that only describe; changing them never changes which data is valid. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$anchor',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'contentEncoding',
  'contentMediaType',
]);

/** Keywords the walk below reasons about; any other keyword that changes is reported as unprovable. */
const UNDERSTOOD = new Set([
  '$ref',
  'type',
  'enum',
  'const',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'items',
  'prefixItems',
  'additionalItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minContains',
  'maxContains',
  'required',
  'properties',
  'patternProperties',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'dependentRequired',
  'allOf',
  'anyOf',
  'oneOf',
]);

const MAX_REF_HOPS = 32;

/**
 * Lists every change in `next` that would break consumers of `previous` under BACKWARD compatibility
 * (as in Confluent Schema Registry): a reader using `next` must accept all data valid under `previous`.
 */
export function checkBackwardCompatibility(previous: object, next: object): CompatibilityIssue[] {
  const walk = new CompatibilityWalk(previous, next);
  walk.compare(previous, next, '');
  return walk.issues;
}

/**
 * Walks both schemas side by side. It errs towards refusing: a change it cannot prove safe (an
 * unfamiliar keyword, a non-local $ref, a changed `not` or `if`) is reported, never waved through.
 */
class CompatibilityWalk {
  readonly issues: CompatibilityIssue[] = [];
  constructor(
    private readonly previousRoot: object,
    private readonly nextRoot: object,
    // Pairs being compared further up the walk (shared with probes): recursive schemas ($ref: "#") would otherwise never end.
    private readonly active = new Map<object, Set<object>>(),
  ) {}

  compare(previousSchema: unknown, nextSchema: unknown, path: string): void {
    if (previousSchema === false) return; // No data was valid before: nothing to keep accepting.
    if (isOpen(nextSchema)) return; // Accepts anything, so it accepts all old data too.
    if (nextSchema === false) {
      this.report(path, 'now refuses every value');
      return;
    }
    const entered: Array<[SchemaNode, SchemaNode]> = [];
    try {
      if (!this.enter(previousSchema, nextSchema, entered)) return;
      const previous = this.resolve(previousSchema, this.previousRoot, path, false);
      const next = this.resolve(nextSchema, this.nextRoot, path, true);
      if (previous === undefined || next === undefined || previous === false) return;
      if (next === false) {
        this.report(path, 'now refuses every value');
        return;
      }
      if (!this.enter(previous, next, entered)) return;

      this.compareTypes(previous, next, path);
      this.compareValues(previous, next, path);
      this.compareFormat(previous, next, path);
      this.compareStrings(previous, next, path);
      this.compareNumbers(previous, next, path);
      this.compareArrays(previous, next, path);
      this.compareObjects(previous, next, path);
      this.compareCombinators(previous, next, path);
      this.compareUnfamiliar(previous, next, path);
    } finally {
      for (const [previous, next] of entered) this.active.get(previous)?.delete(next);
    }
  }

  private report(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** Marks a pair as being compared; false when it already is, further up (a cycle through $ref). */
  private enter(
    previous: unknown,
    next: unknown,
    entered: Array<[SchemaNode, SchemaNode]>,
  ): boolean {
    if (!isNode(previous) || !isNode(next)) return true;
    const partners = this.active.get(previous) ?? new Set<object>();
    if (partners.has(next)) return entered.some(([a, b]) => a === previous && b === next);
    partners.add(next);
    this.active.set(previous, partners);
    entered.push([previous, next]);
    return true;
  }

  /**
   * Follows local `$ref`s (`#/$defs/money`), keeping keywords written beside the `$ref`. Both apply
   * in JSON Schema; where both set the same keyword only one survives the merge, which could hide a
   * constraint of the new schema, so that case is reported rather than guessed.
   */
  private resolve(
    schema: unknown,
    root: object,
    path: string,
    isNext: boolean,
  ): SchemaNode | false | undefined {
    if (schema === true || schema === undefined) return {};
    if (!isNode(schema)) {
      this.report(path, `cannot read the schema here (${JSON.stringify(schema)})`);
      return undefined;
    }
    let node = schema;
    for (let hop = 0; typeof node.$ref === 'string'; hop += 1) {
      const ref = node.$ref;
      const target = hop < MAX_REF_HOPS ? resolvePointer(root, ref) : undefined;
      if (target === undefined) return node; // Left for compareUnfamiliar to judge by the $ref text.
      if (target === false) return false;
      const { $ref: _ref, ...siblings } = node;
      const targetNode = target === true ? {} : target;
      if (!isNode(targetNode)) {
        this.report(path, `$ref ${JSON.stringify(ref)} points at something that is not a schema`);
        return undefined;
      }
      const constraints = Object.keys(siblings).filter((key) => !ANNOTATIONS.has(key));
      const clashing = constraints.filter(
        (key) => key in targetNode && !isDeepStrictEqual(targetNode[key], siblings[key]),
      );
      if (isNext && clashing.length > 0) {
        this.report(
          path,
          `keywords beside $ref ${JSON.stringify(ref)} also appear in its target (${clashing.join(', ')}); the checker cannot prove the change compatible`,
        );
      }
      node = constraints.length === 0 ? targetNode : { ...targetNode, ...siblings };
    }
    return node;
  }

  private compareTypes(previous: SchemaNode, next: SchemaNode, path: string): void {
    const nextTypes = typesOf(next);
    if (nextTypes === undefined) return;
    const previousTypes = typesOf(previous) ?? typesOfValues(allowedValues(previous));
    if (previousTypes === undefined) {
      this.report(path, `type ${describeTypes(nextTypes)} added: any type was accepted before`);
      return;
    }
    const lost = previousTypes.filter((type) => !acceptsType(nextTypes, type));
    if (lost.length > 0) {
      this.report(
        path,
        `type changed from ${describeTypes(previousTypes)} to ${describeTypes(nextTypes)}`,
      );
    }
  }

  private compareValues(previous: SchemaNode, next: SchemaNode, path: string): void {
    const nextValues = allowedValues(next);
    if (nextValues === undefined) return;
    const previousValues = allowedValues(previous);
    if (previousValues === undefined) {
      this.report(path, `enum added: only ${describeValues(nextValues)} accepted now`);
      return;
    }
    const removed = previousValues.filter(
      (value) => !nextValues.some((kept) => isDeepStrictEqual(kept, value)),
    );
    if (removed.length > 0) this.report(path, `enum no longer allows ${describeValues(removed)}`);
  }

  private compareFormat(previous: SchemaNode, next: SchemaNode, path: string): void {
    if (next.format === undefined || next.format === previous.format) return;
    this.report(
      path,
      previous.format === undefined
        ? `format ${JSON.stringify(next.format)} added`
        : `format changed from ${JSON.stringify(previous.format)} to ${JSON.stringify(next.format)}`,
    );
  }

  private compareStrings(previous: SchemaNode, next: SchemaNode, path: string): void {
    this.compareMaximum('maxLength', previous, next, path);
    this.compareMinimum('minLength', previous, next, path);
    if (next.pattern !== undefined && next.pattern !== previous.pattern) {
      this.report(
        path,
        previous.pattern === undefined
          ? `pattern ${JSON.stringify(next.pattern)} added`
          : `pattern changed from ${JSON.stringify(previous.pattern)} to ${JSON.stringify(next.pattern)}`,
      );
    }
  }

  private compareNumbers(previous: SchemaNode, next: SchemaNode, path: string): void {
    const previousLower = lowerBound(previous);
    const nextLower = lowerBound(next);
    if (
      nextLower !== undefined &&
      (previousLower === undefined || tighterThan(nextLower, previousLower, 1))
    ) {
      this.report(
        path,
        previousLower === undefined
          ? `minimum ${describeBound(nextLower)} added`
          : `minimum raised from ${describeBound(previousLower)} to ${describeBound(nextLower)}`,
      );
    }
    const previousUpper = upperBound(previous);
    const nextUpper = upperBound(next);
    if (
      nextUpper !== undefined &&
      (previousUpper === undefined || tighterThan(nextUpper, previousUpper, -1))
    ) {
      this.report(
        path,
        previousUpper === undefined
          ? `maximum ${describeBound(nextUpper)} added`
          : `maximum lowered from ${describeBound(previousUpper)} to ${describeBound(nextUpper)}`,
      );
    }
    if (typeof next.multipleOf === 'number' && next.multipleOf !== previous.multipleOf) {
      const ratio =
        typeof previous.multipleOf === 'number'
          ? previous.multipleOf / next.multipleOf
          : Number.NaN;
      // Old values are multiples of the old step; they stay valid only if the old step is a multiple of the new one.
      if (!(Math.abs(ratio - Math.round(ratio)) < 1e-9)) {
        this.report(
          path,
          previous.multipleOf === undefined
            ? `multipleOf ${next.multipleOf} added`
            : `multipleOf changed from ${JSON.stringify(previous.multipleOf)} to ${next.multipleOf}`,
        );
      }
    }
  }

  private compareArrays(previous: SchemaNode, next: SchemaNode, path: string): void {
    this.compareMinimum('minItems', previous, next, path);
    this.compareMaximum('maxItems', previous, next, path);
    this.compareMinimum('minContains', previous, next, path);
    this.compareMaximum('maxContains', previous, next, path);
    if (next.uniqueItems === true && previous.uniqueItems !== true) {
      this.report(path, 'uniqueItems turned on');
    }

    const previousTuple = tupleOf(previous);
    const nextTuple = tupleOf(next);
    const previousRest = restItemsOf(previous);
    const nextRest = restItemsOf(next);
    for (let index = 0; index < Math.max(previousTuple.length, nextTuple.length); index += 1) {
      this.compare(
        previousTuple[index] ?? previousRest,
        nextTuple[index] ?? nextRest,
        `${path}[${index}]`,
      );
    }
    this.compare(previousRest, nextRest, `${path}[]`);
  }

  private compareObjects(previous: SchemaNode, next: SchemaNode, path: string): void {
    this.compareMinimum('minProperties', previous, next, path);
    this.compareMaximum('maxProperties', previous, next, path);

    const previousRequired = stringList(previous.required);
    for (const name of stringList(next.required)) {
      if (!previousRequired.includes(name)) {
        this.report(
          joinPath(path, name),
          'is now required: data written with the previous version may lack it',
        );
      }
    }

    const previousProperties = nodeMap(previous.properties);
    const nextProperties = nodeMap(next.properties);
    for (const [name, previousProperty] of Object.entries(previousProperties)) {
      const propertyPath = joinPath(path, name);
      if (Object.hasOwn(nextProperties, name)) {
        this.compare(previousProperty, nextProperties[name], propertyPath);
        continue;
      }
      const fallbacks = fallbackSchemas(next, name);
      if (fallbacks.length === 1 && fallbacks[0] === false) {
        this.report(
          propertyPath,
          'property removed while additionalProperties is false: data that still carries it would be refused',
        );
        continue;
      }
      for (const fallback of fallbacks) this.compare(previousProperty, fallback, propertyPath);
    }
    for (const [name, nextProperty] of Object.entries(nextProperties)) {
      if (Object.hasOwn(previousProperties, name)) continue;
      const fallbacks = fallbackSchemas(previous, name);
      if (fallbacks.length === 1 && isOpen(fallbacks[0]) && !isOpen(nextProperty)) {
        this.report(
          joinPath(path, name),
          'property added to an object that accepted any extra property: data written with the previous version may carry it with another shape',
        );
        continue;
      }
      for (const fallback of fallbacks) this.compare(fallback, nextProperty, joinPath(path, name));
    }

    const previousPatterns = nodeMap(previous.patternProperties);
    const nextPatterns = nodeMap(next.patternProperties);
    for (const [pattern, nextPattern] of Object.entries(nextPatterns)) {
      const patternPath = joinPath(path, `/${pattern}/`);
      const before = Object.hasOwn(previousPatterns, pattern)
        ? previousPatterns[pattern]
        : previous.additionalProperties;
      this.compare(before ?? true, nextPattern, patternPath);
    }
    for (const [pattern, previousPattern] of Object.entries(previousPatterns)) {
      if (Object.hasOwn(nextPatterns, pattern)) continue;
      const patternPath = joinPath(path, `/${pattern}/`);
      if (next.additionalProperties === false) {
        this.report(
          patternPath,
          'patternProperties entry removed while additionalProperties is false',
        );
      } else {
        this.compare(previousPattern, next.additionalProperties ?? true, patternPath);
      }
    }

    const previousAdditional = previous.additionalProperties ?? true;
    const nextAdditional = next.additionalProperties ?? true;
    if (nextAdditional === false && previousAdditional !== false) {
      this.report(
        path,
        'additionalProperties turned off: data carrying properties the schema does not name would be refused',
      );
    } else {
      this.compare(previousAdditional, nextAdditional, joinPath(path, '*'));
    }

    if (next.propertyNames !== undefined) {
      const namesPath = joinPath(path, '(property names)');
      this.compare(previous.propertyNames ?? true, next.propertyNames, namesPath);
    }

    const previousDependencies = nodeMap(previous.dependentRequired);
    for (const [name, needs] of Object.entries(nodeMap(next.dependentRequired))) {
      const before = stringList(previousDependencies[name]);
      const added = stringList(needs).filter((need) => !before.includes(need));
      if (added.length > 0) {
        const needed = added.map((need) => JSON.stringify(need)).join(', ');
        this.report(joinPath(path, name), `now needs ${needed} beside it (dependentRequired)`);
      }
    }
  }

  private compareCombinators(previous: SchemaNode, next: SchemaNode, path: string): void {
    const previousAll = nodeList(previous.allOf);
    nodeList(next.allOf).forEach((branch, index) =>
      this.compare(previousAll[index] ?? true, branch, path),
    );

    // oneOf is treated like anyOf: every old branch must live on in some new branch.
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const nextBranches = nodeList(next[keyword]);
      if (nextBranches.length === 0) continue;
      const previousBranches = Array.isArray(previous[keyword])
        ? nodeList(previous[keyword])
        : [withoutKeyword(previous, keyword)];
      previousBranches.forEach((previousBranch, index) => {
        if (!nextBranches.some((nextBranch) => this.accepts(previousBranch, nextBranch, path))) {
          this.report(
            path,
            Array.isArray(previous[keyword])
              ? `${keyword} branch ${index + 1} of the previous version is accepted by no branch of the new one`
              : `${keyword} added: no branch accepts everything the previous version did`,
          );
        }
      });
    }
  }

  private compareUnfamiliar(previous: SchemaNode, next: SchemaNode, path: string): void {
    if (typeof next.$ref === 'string' && next.$ref !== previous.$ref) {
      this.report(
        path,
        `$ref ${JSON.stringify(next.$ref)} cannot be followed (only local references within the schema are), so the change cannot be proven compatible`,
      );
    }
    for (const [keyword, value] of Object.entries(next)) {
      if (ANNOTATIONS.has(keyword) || UNDERSTOOD.has(keyword)) continue;
      if (!isDeepStrictEqual(previous[keyword], value)) {
        this.report(
          path,
          `"${keyword}" changed: the checker cannot prove the change keeps old data valid`,
        );
      }
    }
  }

  /** True when `next` accepts everything `previous` does, judged by a separate walk that reports nothing. */
  private accepts(previous: unknown, next: unknown, path: string): boolean {
    const probe = new CompatibilityWalk(this.previousRoot, this.nextRoot, this.active);
    probe.compare(previous, next, path);
    return probe.issues.length === 0;
  }

  private compareMaximum(
    keyword: string,
    previous: SchemaNode,
    next: SchemaNode,
    path: string,
  ): void {
    const before = previous[keyword];
    const after = next[keyword];
    if (typeof after !== 'number') return;
    if (typeof before !== 'number') this.report(path, `${keyword} ${after} added`);
    else if (after < before) this.report(path, `${keyword} decreased from ${before} to ${after}`);
  }

  private compareMinimum(
    keyword: string,
    previous: SchemaNode,
    next: SchemaNode,
    path: string,
  ): void {
    const before = previous[keyword];
    const after = next[keyword];
    if (typeof after !== 'number') return;
    if (typeof before !== 'number') {
      if (after > 0) this.report(path, `${keyword} ${after} added`);
    } else if (after > before) {
      this.report(path, `${keyword} increased from ${before} to ${after}`);
    }
  }
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A schema that accepts anything: `true`, absent, or `{}` with only annotations. */
function isOpen(schema: unknown): boolean {
  return (
    schema === true ||
    schema === undefined ||
    (isNode(schema) && Object.keys(schema).every((key) => ANNOTATIONS.has(key)))
  );
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Target of a local JSON-pointer reference (`#`, `#/$defs/money`), or undefined when it is not local or not there. */
function resolvePointer(root: object, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const pointer = decodeURIComponent(ref.slice(1));
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined; // `#anchor` names are not followed.
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (
      typeof node !== 'object' ||
      node === null ||
      !Object.prototype.hasOwnProperty.call(node, segment)
    )
      return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function typesOf(schema: SchemaNode): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type))
    return schema.type.filter((type): type is string => typeof type === 'string');
  return undefined;
}

function typesOfValues(values: unknown[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return [...new Set(values.map(jsonTypeOf))];
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function acceptsType(types: readonly string[], type: string): boolean {
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

function describeTypes(types: readonly string[]): string {
  return types.length === 1
    ? JSON.stringify(types[0])
    : `[${types.map((type) => JSON.stringify(type)).join(', ')}]`;
}

function allowedValues(schema: SchemaNode): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  return Array.isArray(schema.enum) ? schema.enum : undefined;
}

function describeValues(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

function lowerBound(schema: SchemaNode): Bound | undefined {
  return strictest(
    typeof schema.minimum === 'number' ? { value: schema.minimum, exclusive: false } : undefined,
    typeof schema.exclusiveMinimum === 'number'
      ? { value: schema.exclusiveMinimum, exclusive: true }
      : undefined,
    1,
  );
}

function upperBound(schema: SchemaNode): Bound | undefined {
  return strictest(
    typeof schema.maximum === 'number' ? { value: schema.maximum, exclusive: false } : undefined,
    typeof schema.exclusiveMaximum === 'number'
      ? { value: schema.exclusiveMaximum, exclusive: true }
      : undefined,
    -1,
  );
}

/** `direction` 1 compares lower bounds (higher is tighter), -1 upper bounds (lower is tighter). */
function tighterThan(bound: Bound, other: Bound, direction: 1 | -1): boolean {
  if (bound.value !== other.value) return (bound.value - other.value) * direction > 0;
  return bound.exclusive && !other.exclusive;
}

function strictest(
  first: Bound | undefined,
  second: Bound | undefined,
  direction: 1 | -1,
): Bound | undefined {
  if (first === undefined) return second;
  if (second === undefined) return first;
  return tighterThan(second, first, direction) ? second : first;
}

function describeBound(bound: Bound): string {
  return bound.exclusive ? `${bound.value} (exclusive)` : String(bound.value);
}

/** Positional item schemas: 2020-12 `prefixItems`, or draft-07 array-form `items`. */
function tupleOf(schema: SchemaNode): unknown[] {
  if (Array.isArray(schema.items)) return schema.items;
  return Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
}

/** Schema for items past the tuple: `items` (2020-12), or `additionalItems` beside array-form `items` (draft-07). */
function restItemsOf(schema: SchemaNode): unknown {
  if (Array.isArray(schema.items)) return schema.additionalItems ?? true;
  return schema.items ?? true;
}

/** Schemas an object applies to a property it does not name: matching patternProperties, else additionalProperties. */
function fallbackSchemas(schema: SchemaNode, name: string): unknown[] {
  const matching = Object.entries(nodeMap(schema.patternProperties))
    .filter(([pattern]) => new RegExp(pattern, 'u').test(name))
    .map(([, patternSchema]) => patternSchema);
  return matching.length > 0 ? matching : [schema.additionalProperties ?? true];
}

function withoutKeyword(schema: SchemaNode, keyword: string): SchemaNode {
  const { [keyword]: _dropped, ...rest } = schema;
  return rest;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

function nodeList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function nodeMap(value: unknown): Record<string, unknown> {
  return isNode(value) ? value : {};
}
