/**
 * The console's one way to the API: same origin, `/v1`, the session's key as a
 * Bearer token. Every error answer becomes an {@link ApiProblem} carrying the
 * API's own problem+json (title, detail, every bad field), shown as is.
 */
import { clearSession, loadSession } from './session';
import type { Page } from './types';

export interface FieldProblem {
  path: string;
  message: string;
}

/** An RFC 9457 problem the API answered with (or one made here when the answer was not one). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(`${status} ${title}: ${detail}`);
    this.name = 'ApiProblem';
  }
}

/** Called when the API refuses the session's key (401): the app goes back to sign-in. */
let onUnauthorized: (problem: ApiProblem) => void = () => undefined;
export function whenUnauthorized(handler: (problem: ApiProblem) => void): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** The key to use instead of the session's (sign-in checks a key before keeping it). */
  apiKey?: string;
}

function toProblem(status: number, text: string): ApiProblem {
  try {
    const body = JSON.parse(text) as { title?: unknown; detail?: unknown; errors?: unknown };
    if (typeof body.title === 'string')
      return new ApiProblem(
        status,
        body.title,
        typeof body.detail === 'string' ? body.detail : '',
        Array.isArray(body.errors) ? (body.errors as FieldProblem[]) : [],
      );
  } catch {
    // not JSON: described below
  }
  return new ApiProblem(status, `HTTP ${status}`, text.slice(0, 300) || 'The API answered without a body');
}

/** Calls `method path` (path below `/v1`) and returns the parsed body; throws {@link ApiProblem} on any non-2xx answer. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const apiKey = options.apiKey ?? loadSession()?.apiKey;
  const query = Object.entries(options.query ?? {}).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined);
  const search = query.length ? `?${new URLSearchParams(query.map(([k, v]) => [k, String(v)]))}` : '';
  let response: Response;
  try {
    response = await fetch(`/v1${path}${search}`, {
      method,
      headers: {
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (error) {
    throw new ApiProblem(0, 'API unreachable', `${method} /v1${path} did not get an answer: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) {
    const problem = toProblem(response.status, text);
    if (response.status === 401 && !options.apiKey) {
      clearSession();
      onUnauthorized(problem);
    }
    throw problem;
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, query?: RequestOptions['query']) => request<T>('GET', path, { query });

/** Every item of a paginated list, following `nextCursor` up to `maxPages` pages of 100. */
export async function getAll<T>(path: string, query: RequestOptions['query'] = {}, maxPages = 5): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await get<Page<T>>(path, { ...query, limit: 100, cursor });
    items.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return items;
}

/** `encodeURIComponent` for a path segment (ids and names are plain, but a name could hold a dot or dash). */
export const seg = (value: string) => encodeURIComponent(value);
