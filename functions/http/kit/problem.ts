/** Maps any error to an RFC 9457 problem+json response; never leaks internals. */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { DomainError, type FieldError } from '#functions/domain/errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-');

export function problem(status: number, title: string, detail: string, errors?: FieldError[]): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify({ type: `https://slipway.dev/problems/${slug(title)}`, title, status, detail, ...(errors ? { errors } : {}) }),
  };
}

/** zod issues → `{path, message}` with dotted paths under the part they belong to. */
export function fieldErrors(part: 'body' | 'query' | 'params', error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

export function problemFromError(error: unknown): APIGatewayProxyStructuredResultV2 {
  if (error instanceof DomainError) {
    const errors = 'errors' in error ? (error.errors as FieldError[]) : undefined;
    return problem(error.status, error.title, error.message, errors?.length ? errors : undefined);
  }
  return problem(500, 'Internal error', 'Something went wrong on our side; the request may be retried.');
}
