/**
 * Paging of the list operations (`maxResults`/`nextToken`) the way AWS does it:
 * 0 or nothing means 100, at most 1000, and a token the client must hand back as is.
 */
import { SfnApiError } from './sfn-errors';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

export interface Paged<T> {
  items: T[];
  nextToken?: string;
}

/** One page of `items`; the token is an opaque offset into the same listing. */
export function page<T>(items: readonly T[], request: { maxResults?: number; nextToken?: string }): Paged<T> {
  const size = request.maxResults || DEFAULT_PAGE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE) {
    throw new SfnApiError('ValidationException', `maxResults must be an integer from 0 to ${MAX_PAGE}`);
  }
  const offset = request.nextToken === undefined ? 0 : readToken(request.nextToken);
  const end = offset + size;
  return { items: items.slice(offset, end), nextToken: end < items.length ? writeToken(end) : undefined };
}

function writeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function readToken(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the error below
  }
  throw new SfnApiError('InvalidToken', `Invalid Token: '${token}'`);
}
