import { ClarityApiError } from './clarity-api.error';
import { displayText } from '../common/display-text';

/** A ServiceStack list reply. */
export interface ClarityPage<T> {
  Results: T[];
  TotalCount: number;
  TotalPages: number;
  CurrentPage: number;
  CurrentCount: number;
}

/** Query of Clarity list routes: `Paging.StartIndex` (1-based page), `Paging.Size`, `ModifiedSince`. */
export interface ClarityListQuery {
  page: number;
  size: number;
  modifiedSinceMs?: number;
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 1_000;

/** Reads paging and `ModifiedSince` from a query string, refusing values ServiceStack could not bind. */
export function readClarityListQuery(
  query: Record<string, unknown>,
  requestName: string,
): ClarityListQuery {
  const page = readInteger(query, 'Paging.StartIndex', 1, requestName);
  const size = readInteger(query, 'Paging.Size', DEFAULT_PAGE_SIZE, requestName);
  if (page < 1)
    throw bindError(requestName, 'Paging.StartIndex', 'must be 1 or more (pages are 1-based)');
  if (size < 1 || size > MAX_PAGE_SIZE)
    throw bindError(requestName, 'Paging.Size', `must be between 1 and ${MAX_PAGE_SIZE}`);
  const modifiedSince = pickParam(query, 'ModifiedSince');
  if (modifiedSince === undefined || modifiedSince === '') return { page, size };
  const modifiedSinceMs = Date.parse(modifiedSince);
  if (Number.isNaN(modifiedSinceMs))
    throw bindError(
      requestName,
      'ModifiedSince',
      `'${modifiedSince}' is an Invalid value for 'ModifiedSince'`,
    );
  return { page, size, modifiedSinceMs };
}

/** A query parameter by name, ignoring case as ServiceStack does. */
export function pickParam(query: Record<string, unknown>, name: string): string | undefined {
  const key = Object.keys(query).find(
    (candidate) => candidate.toLowerCase() === name.toLowerCase(),
  );
  const value = key === undefined ? undefined : query[key];
  return value === undefined
    ? undefined
    : displayText(Array.isArray(value) ? (value[0] as unknown) : value);
}

/** Cuts one page out of an already filtered and ordered list. */
export function paginate<T>(items: T[], { page, size }: ClarityListQuery): ClarityPage<T> {
  const results = items.slice((page - 1) * size, page * size);
  return {
    Results: results,
    TotalCount: items.length,
    TotalPages: Math.ceil(items.length / size),
    CurrentPage: page,
    CurrentCount: results.length,
  };
}

function readInteger(
  query: Record<string, unknown>,
  name: string,
  fallback: number,
  requestName: string,
): number {
  const raw = pickParam(query, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw))
    throw bindError(requestName, name, `'${raw}' is an Invalid value for '${name}'`);
  return Number(raw);
}

function bindError(requestName: string, field: string, message: string): ClarityApiError {
  return new ClarityApiError(
    400,
    'SerializationException',
    `Unable to bind to request '${requestName}'`,
    [{ ErrorCode: 'SerializationException', FieldName: field, Message: message }],
  );
}
