/**
 * The one HTTP client of the CLI (and `npm run demo`): JSON over fetch with the
 * API key, problem+json answers turned into {@link ApiError} ("title: detail" and
 * each bad field), and lists followed through their cursors.
 */
import type { Config } from './config';
import { CliError, EXIT } from './exit-codes';

/** RFC 9457 problem details as the API sends them. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** An error answer of the API. Exit 3 for 401/403/404, 1 otherwise. */
export class ApiError extends CliError {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(describeProblem(problem), [401, 403, 404].includes(status) ? EXIT.notFound : EXIT.failure);
  }
}

/** "title: detail", then one indented line per bad field. */
export function describeProblem(problem: Problem): string {
  const head = problem.detail && problem.detail !== problem.title ? `${problem.title}: ${problem.detail}` : problem.title;
  return [head, ...(problem.errors ?? []).map((e) => `  ${e.path}: ${e.message}`)].join('\n');
}

/** A path segment, escaped. */
export const seg = (value: string | number): string => encodeURIComponent(String(value));

export type Query = Record<string, string | number | boolean | undefined>;

export interface Reply<T> {
  status: number;
  body: T;
}

const REQUEST_TIMEOUT_MS = 30_000;

export class SlipwayClient {
  constructor(
    readonly config: Config,
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  /** `/v1<path>?<query>` with the key; resolves for 2xx, throws {@link ApiError} otherwise. */
  async send<T>(method: string, path: string, options: { query?: Query; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply<T>> {
    const url = new URL(`${this.config.url}/v1${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.config.apiKey}`,
          accept: 'application/json',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new CliError(`Cannot reach the API at ${this.config.url} (${why}): is it running, and is SLIPWAY_URL right?`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw new CliError(`${method} ${url.pathname} answered ${response.status} with something that is not JSON: is ${this.config.url} a Slipway API?`);
    }
    if (!response.ok) throw new ApiError(response.status, asProblem(response.status, body));
    return { status: response.status, body: body as T };
  }

  get = async <T>(path: string, query?: Query): Promise<T> => (await this.send<T>('GET', path, { query })).body;
  post = async <T>(path: string, body?: unknown, query?: Query): Promise<T> => (await this.send<T>('POST', path, { body, query })).body;
  put = async <T>(path: string, body: unknown): Promise<T> => (await this.send<T>('PUT', path, { body })).body;
  delete = async (path: string): Promise<void> => void (await this.send('DELETE', path));

  /** Every item of a list, following `nextCursor`. */
  async listAll<T>(path: string, query: Query = {}): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.get<Page<T>>(path, { ...query, limit: 100, cursor });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }

  /** The resource at `path`, or undefined when the API answers 404. */
  async find<T>(path: string, query?: Query): Promise<T | undefined> {
    try {
      return await this.get<T>(path, query);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  }
}

function asProblem(status: number, body: unknown): Problem {
  const value = (body ?? {}) as Partial<Problem>;
  return {
    type: value.type,
    title: typeof value.title === 'string' ? value.title : `HTTP ${status}`,
    status,
    detail: typeof value.detail === 'string' ? value.detail : '',
    errors: Array.isArray(value.errors) ? value.errors : undefined,
  };
}
