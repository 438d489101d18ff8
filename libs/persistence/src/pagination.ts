import { type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { PersistenceInputError } from './persistence.errors';

/** Which page to read: either a `cursor` from a previous page (stable under inserts) or an `offset`. */
export interface PageRequest {
  /** Items per page, 1–1000; default 50. */
  limit?: number;
  cursor?: string;
  offset?: number;
}

/** One page of a newest-first listing; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  /** Matching items across all pages. */
  total: number;
  nextCursor: string | null;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

/** How a listing is ordered: newest first by a timestamp, ties broken by id. */
export interface KeysetOrder<T> {
  alias: string;
  at: keyof T & string;
  id: keyof T & string;
}

/** Reads one page of `query` (already filtered) newest first, with the total across pages. */
export async function fetchPage<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  order: KeysetOrder<T>,
  request: PageRequest,
  listing: string,
): Promise<Page<T>> {
  const limit = request.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new PersistenceInputError(
      `${listing}: limit must be an integer from 1 to ${MAX_LIMIT}, got ${limit}`,
    );
  }
  if (request.cursor !== undefined && request.offset !== undefined) {
    throw new PersistenceInputError(`${listing}: give either cursor or offset, not both`);
  }
  if (request.offset !== undefined && (!Number.isInteger(request.offset) || request.offset < 0)) {
    throw new PersistenceInputError(
      `${listing}: offset must be a non-negative integer, got ${request.offset}`,
    );
  }
  const at = `${order.alias}.${order.at}`;
  const id = `${order.alias}.${order.id}`;
  const total = await query.clone().getCount();
  const page = query
    .clone()
    .orderBy(at, 'DESC')
    .addOrderBy(id, 'DESC')
    .limit(limit + 1);
  if (request.cursor !== undefined) {
    const position = decodeCursor(request.cursor, listing);
    page.andWhere(`(${at}, ${id}) < (:cursorAt, :cursorId)`, {
      cursorAt: position.at,
      cursorId: position.id,
    });
  }
  if (request.offset !== undefined) page.offset(request.offset);
  const rows = await page.getMany();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last !== undefined
      ? encodeCursor(last[order.at], String(last[order.id]))
      : null;
  return { items, total, nextCursor };
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string, listing: string): { at: Date; id: string } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new PersistenceInputError(`${listing}: cursor "${cursor}" is not one this API issued`, {
      cause: error,
    });
  }
  if (
    Array.isArray(decoded) &&
    decoded.length === 2 &&
    typeof decoded[0] === 'string' &&
    typeof decoded[1] === 'string'
  ) {
    const at = new Date(decoded[0]);
    if (!Number.isNaN(at.getTime())) return { at, id: decoded[1] };
  }
  throw new PersistenceInputError(`${listing}: cursor "${cursor}" is not one this API issued`);
}
