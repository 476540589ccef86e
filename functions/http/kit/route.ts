/**
 * A route: its key in the route table, who may call it, the zod schemas of its
 * params, query and body (the one source of validation, types and OpenAPI), and
 * the function that serves it.
 */
import type { z } from 'zod';
import type { RouteKey } from '#functions/http/route-table';
import type { AppDeps } from '#functions/commons/deps';
import type { Caller } from './auth';

export type Access = 'public' | 'user' | 'admin' | 'user-or-run-token';

export interface RouteRequest<P, Q, B> {
  caller: Caller;
  params: P;
  query: Q;
  body: B;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  key: RouteKey;
  summary: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Documents the success body in OpenAPI. */
  response?: z.ZodType;
  /** @default 200, or 201 for POST */
  status?: number;
  handle(request: RouteRequest<P, Q, B>, deps: AppDeps): Promise<unknown>;
}

/** Keeps the schema types attached to `handle` while collecting routes in a list. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec as RouteSpec;
}
