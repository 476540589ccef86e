/**
 * A route: its key in the route table, who may call it, the zod schemas of its
 * params, query, body and response (the one source of validation, types and the
 * OpenAPI document), and the function that serves it.
 */
import type { z } from 'zod';
import type { RouteKey } from '#functions/http/route-table';
import type { AppDeps } from '#functions/commons/deps';
import type { MetricName } from '#functions/commons/observability';
import type { Access, Caller } from './auth';

export type { Access };

export interface RouteRequest<P, Q, B> {
  caller: Caller;
  params: P;
  query: Q;
  body: B;
  /** The request's `Idempotency-Key`, for creates that derive their id from it (so a retry after a crash finds what the first attempt made). */
  idempotencyKey?: string;
  /** The request's `Accept` header, for the routes that answer a browser otherwise than a client (a redirect instead of JSON). */
  accept?: string;
}

/** A success answer with another status than the route's usual one (one of its `alsoSucceedsWith`). */
export class Answer<R> {
  constructor(
    readonly status: number,
    readonly body: R,
    /** More response headers (a redirect's `location`). */
    readonly headers: Record<string, string> = {},
  ) {}
}

/** `body`, answered with `status` instead of the route's usual success status. */
export const answer = <R>(status: number, body: R): Answer<R> => new Answer(status, body);

/** A 303 See Other to `location`, with no body: the route lists 303 in `alsoSucceedsWith`. */
export const seeOther = (location: string): Answer<never> => new Answer(303, undefined as never, { location });

/** True for a redirect status: documented with its `Location` header and no body. */
export const isRedirect = (status: number): boolean => status >= 300 && status < 400;

export interface RouteSpec<P = unknown, Q = unknown, B = unknown, R = unknown> {
  key: RouteKey;
  /** Unique across the API: what generated clients name the call. */
  operationId: string;
  summary: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The success body: its type is what `handle` returns, its JSON Schema what the document shows. */
  response?: z.ZodType<R>;
  /** @default 200, or 201 for POST */
  status?: number;
  /** Other success statuses `handle` may answer with (through `answer`), with the same body. */
  alsoSucceedsWith?: number[];
  /**
   * Error statuses the route's own logic returns, besides those the kit derives
   * from the spec (400, 401, 403, 404, 409, 413, 415, 422, 500: see `errorStatuses`).
   */
  errors?: number[];
  /** A metric counted once each time the route succeeds with its usual status (not on an idempotent replay, nor on `alsoSucceedsWith`). */
  counts?: MetricName;
  handle(request: RouteRequest<P, Q, B>, deps: AppDeps): Promise<NoInfer<R> | Answer<NoInfer<R>>>;
}

/** Keeps the schema types attached to `handle` while collecting routes in a list. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined, R = undefined>(spec: RouteSpec<P, Q, B, R>): RouteSpec {
  return spec as unknown as RouteSpec;
}

const methodOf = (spec: RouteSpec) => spec.key.split(' ')[0];

/** Every error status a route can answer: what the kit does for its spec, and what the route says it adds. */
export function errorStatuses(spec: RouteSpec): number[] {
  const post = methodOf(spec) === 'POST';
  const statuses = new Set<number>([
    ...(spec.params || spec.query || spec.body || post ? [400] : []),
    ...(spec.access === 'public' ? [] : [401, 403]),
    ...(spec.params ? [404] : []),
    // An Idempotency-Key still in flight, or reused with another request.
    ...(post ? [409, 422] : []),
    ...(spec.body ? [413, 415] : []),
    ...(spec.errors ?? []),
    500,
  ]);
  return [...statuses].sort((a, b) => a - b);
}

/** The status of a successful answer. */
export const successStatus = (spec: RouteSpec): number => spec.status ?? (methodOf(spec) === 'POST' ? 201 : 200);

/** Every success status a route may answer with: its usual one first. */
export const successStatuses = (spec: RouteSpec): number[] => [successStatus(spec), ...(spec.alsoSucceedsWith ?? [])];
