/**
 * Every error answer, RFC 9457 problem+json, with one scheme of problem types:
 * `https://slipway.dev/problems/<slug of the title>` (e.g. `…/invalid-request`,
 * `…/not-found`, `…/method-not-allowed`). The handlers and the local HTTP server
 * both answer through `problem`, so no error uses another scheme. Never leaks internals.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { DomainError, type FieldError } from '#functions/domain/errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Where every problem type lives. */
export const PROBLEM_TYPE_BASE = 'https://slipway.dev/problems/';

/** The challenge a 401 carries (RFC 9110 §11.6.1; the Bearer scheme of RFC 6750). */
export const WWW_AUTHENTICATE = 'Bearer realm="slipway"';

/** At most this many field errors are listed in one answer (the detail gives the full count). */
export const MAX_LISTED_ERRORS = 100;

const slug = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The problem type of a title: `https://slipway.dev/problems/<slug>`. */
export const problemType = (title: string): string => `${PROBLEM_TYPE_BASE}${slug(title)}`;

export const ProblemSchema = z.object({
  type: z.string().regex(/^https:\/\/slipway\.dev\/problems\/[a-z0-9]+(-[a-z0-9]+)*$/),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/**
 * An error answer.
 * @param headers more headers (e.g. `allow` on a 405); a 401 always gets `www-authenticate`
 */
export function problem(
  status: number,
  title: string,
  detail: string,
  errors?: FieldError[],
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  const listed = errors && errors.length > MAX_LISTED_ERRORS ? errors.slice(0, MAX_LISTED_ERRORS) : errors;
  return {
    statusCode: status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...(status === 401 ? { 'www-authenticate': WWW_AUTHENTICATE } : {}), ...headers },
    body: JSON.stringify({ type: problemType(title), title, status, detail, ...(listed ? { errors: listed } : {}) }),
  };
}

/**
 * zod issues → `{path, message}` with dotted paths under the part they belong to;
 * an unknown key gets an error at its own path, so the client sees which field to remove.
 */
export function fieldErrors(part: 'body' | 'query' | 'params', error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const at = [part, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: [...at, key].join('.'), message: `unknown field "${key}"` }));
    return [{ path: at.join('.'), message: issue.message }];
  });
}

export function problemFromError(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (error instanceof DomainError) {
    const errors = 'errors' in error ? (error.errors as FieldError[]) : undefined;
    return problem(error.status, error.title, error.message, errors?.length ? errors : undefined);
  }
  return problem(500, 'Internal error', 'Something went wrong on our side; the request may be retried.');
}
