import { FrappeApiError } from './frappe-api.error';
import { type FrappeDoc } from './frappe-doc';
import { displayText } from '../common/display-text';

type Condition = { field: string; operator: string; value: unknown };

/** A parsed `get_list` query: fields, filters, paging and order. */
export interface FrappeListQuery {
  fields: string[];
  filters: Condition[];
  orFilters: Condition[];
  limitStart: number;
  /** 0 means all. */
  limitPageLength: number;
  orderBy: Array<{ field: string; descending: boolean }>;
}

const OPERATORS = [
  '=',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  'like',
  'not like',
  'in',
  'not in',
  'is',
  'between',
];

/**
 * Reads Frappe's list parameters (JSON strings in the query): `fields`, `filters`, `or_filters`,
 * `limit_start`, `limit_page_length` (alias `limit`; default 20, 0 = all), `order_by`.
 */
export function readFrappeListQuery(
  query: Record<string, unknown>,
  allowedFields: readonly string[],
): FrappeListQuery {
  const fields = parseJsonParam(query.fields, 'fields') ?? ['name'];
  if (!Array.isArray(fields) || fields.some((field) => typeof field !== 'string'))
    throw dataError('fields must be a JSON list of field names');
  const wanted = (fields as string[]).flatMap((field) =>
    field === '*' ? ['name', ...allowedFields] : [stripTable(field)],
  );
  for (const field of wanted) assertField(field, allowedFields);
  const filters = readConditions(parseJsonParam(query.filters, 'filters'), allowedFields);
  const orFilters = readConditions(parseJsonParam(query.or_filters, 'or_filters'), allowedFields);
  const limitStart = readInteger(query.limit_start, 'limit_start', 0);
  const limitPageLength = readInteger(
    query.limit_page_length ?? query.limit,
    'limit_page_length',
    20,
  );
  const orderText =
    typeof query.order_by === 'string' && query.order_by.trim() !== ''
      ? query.order_by
      : 'modified desc';
  const orderBy = orderText.split(',').map((part) => {
    const [field = '', direction = 'asc'] = part.trim().split(/\s+/);
    const name = stripTable(field);
    assertField(name, allowedFields);
    if (!/^(asc|desc)$/i.test(direction))
      throw dataError(`order_by direction must be asc or desc, got "${direction}"`);
    return { field: name, descending: direction.toLowerCase() === 'desc' };
  });
  return { fields: [...new Set(wanted)], filters, orFilters, limitStart, limitPageLength, orderBy };
}

/** Applies filters, order and paging, then projects the requested fields. */
export function runFrappeListQuery(
  docs: FrappeDoc[],
  query: FrappeListQuery,
  tieBreak: (doc: FrappeDoc) => number,
): Record<string, unknown>[] {
  const matching = docs
    .filter((doc) => query.filters.every((condition) => matches(doc, condition)))
    .filter(
      (doc) =>
        query.orFilters.length === 0 ||
        query.orFilters.some((condition) => matches(doc, condition)),
    )
    .sort((a, b) => {
      for (const { field, descending } of query.orderBy) {
        const order = compare(a[field], b[field]);
        if (order !== 0) return descending ? -order : order;
      }
      return tieBreak(b) - tieBreak(a);
    });
  const page =
    query.limitPageLength === 0
      ? matching.slice(query.limitStart)
      : matching.slice(query.limitStart, query.limitStart + query.limitPageLength);
  return page.map((doc) =>
    Object.fromEntries(query.fields.map((field) => [field, doc[field] ?? null])),
  );
}

/** Counts documents matching the filters. */
export function countFrappeDocs(
  docs: FrappeDoc[],
  filters: unknown,
  allowedFields: readonly string[],
): number {
  const conditions = readConditions(filters, allowedFields);
  return docs.filter((doc) => conditions.every((condition) => matches(doc, condition))).length;
}

/** Parses a JSON-string query parameter; already-parsed values pass through. */
export function parseJsonParam(value: unknown, name: string): unknown {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw dataError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
}

function readConditions(raw: unknown, allowedFields: readonly string[]): Condition[] {
  if (raw === undefined || raw === null) return [];
  const conditions: Condition[] = [];
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      if (!Array.isArray(entry) || entry.length < 3 || entry.length > 4) {
        throw dataError(
          `each filter must be [field, operator, value] or [doctype, field, operator, value]; got ${JSON.stringify(entry)}`,
        );
      }
      const [field, operator, value] = (entry.length === 4 ? entry.slice(1) : entry) as unknown[];
      conditions.push({
        field: displayText(field),
        operator: displayText(operator).toLowerCase(),
        value,
      });
    }
  } else if (typeof raw === 'object') {
    for (const [field, value] of Object.entries(raw as Record<string, unknown>)) {
      conditions.push(
        Array.isArray(value)
          ? { field, operator: displayText(value[0]).toLowerCase(), value: value[1] as unknown }
          : { field, operator: '=', value },
      );
    }
  } else {
    throw dataError('filters must be a JSON list or object');
  }
  for (const condition of conditions) {
    assertField(condition.field, allowedFields);
    if (!OPERATORS.includes(condition.operator))
      throw dataError(
        `Operator must be one of ${OPERATORS.join(', ')}; got "${condition.operator}"`,
      );
  }
  return conditions;
}

function matches(doc: FrappeDoc, { field, operator, value }: Condition): boolean {
  const actual = doc[field];
  switch (operator) {
    case '=':
      return compare(actual, value) === 0;
    case '!=':
      return compare(actual, value) !== 0;
    case '<':
      return compare(actual, value) < 0;
    case '>':
      return compare(actual, value) > 0;
    case '<=':
      return compare(actual, value) <= 0;
    case '>=':
      return compare(actual, value) >= 0;
    case 'like':
    case 'not like': {
      const pattern = new RegExp(
        `^${displayText(value)
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/%/g, '.*')
          .replace(/_/g, '.')}$`,
        'i',
      );
      const hit = pattern.test(displayText(actual));
      return operator === 'like' ? hit : !hit;
    }
    case 'in':
    case 'not in': {
      const list = Array.isArray(value)
        ? value
        : displayText(value)
            .split(',')
            .map((item) => item.trim());
      const hit = list.some((item) => compare(actual, item) === 0);
      return operator === 'in' ? hit : !hit;
    }
    case 'is':
      return value === 'set'
        ? actual !== undefined && actual !== null && actual !== ''
        : actual === undefined || actual === null || actual === '';
    case 'between': {
      const [low, high] = (Array.isArray(value) ? value : []) as unknown[];
      return compare(actual, low) >= 0 && compare(actual, high) <= 0;
    }
    default:
      return false;
  }
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = Number(a ?? 0);
    const y = Number(b ?? 0);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  }
  const x = displayText(a);
  const y = displayText(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function stripTable(field: string): string {
  return field
    .replace(/^`?tab[^`]*`?\./, '')
    .replace(/`/g, '')
    .trim();
}

function assertField(field: string, allowedFields: readonly string[]): void {
  if (
    field === 'name' ||
    field === 'owner' ||
    field === 'creation' ||
    field === 'modified' ||
    field === 'modified_by' ||
    field === 'docstatus' ||
    field === 'idx'
  )
    return;
  if (!allowedFields.includes(field)) throw dataError(`Field not permitted in query: ${field}`);
}

function readInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw dataError(`${name} must be a non-negative integer`);
  return number;
}

function dataError(message: string): FrappeApiError {
  return new FrappeApiError('DataError', message, 417);
}
