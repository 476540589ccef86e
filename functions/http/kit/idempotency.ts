/**
 * `Idempotency-Key` on POST, with Powertools' idempotency over the table: the first
 * result is kept 24 h and a retry with the same key and request gets it back; the
 * same key with another request gets 422; a retry while the first attempt is in
 * flight gets 409. A first attempt that fails, or whose Lambda dies (its record
 * expires with the invocation's remaining time), leaves the key free for a retry.
 */
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { Context } from 'aws-lambda';
import { ConflictError, ValidationError } from '#functions/domain/errors';
import { idempotencyRecords } from '#functions/store/idempotency-records';
import type { TableClient } from '#functions/store/table-client';
import { requestDigest, seal, unseal } from './caller-seal';
import { IdempotencyKeyReusedError } from './http-errors';

const TTL_SECONDS = 24 * 60 * 60;
const MAX_KEY_LENGTH = 255;
/** API Gateway's integration timeout: how long a first attempt may hold its key where no Lambda context says. */
const FALLBACK_REMAINING_MS = 30_000;

/** What a route answered. */
export interface StoredResponse {
  status: number;
  body: unknown;
  /** More headers than the content type (a redirect's `location`). */
  headers?: Record<string, string>;
}

/** Who asks what, under which key. */
export interface IdempotencyScope {
  /** The caller's id (user or run). */
  caller: string;
  /** The caller's bearer token: the key of the request digest and of the sealed response. */
  token: string;
  routeKey: string;
  key: string;
  /** The validated request (params, query, body). */
  request: unknown;
}

/** What the record's key and validation hash are computed from. */
interface Payload {
  scope: { caller: string; routeKey: string; key: string };
  digest: string;
}

/** The invocation's context, or one with API Gateway's deadline where the runner gives none (local, tests). */
function withDeadline(context: Partial<Context>): Context {
  if (typeof context.getRemainingTimeInMillis === 'function') return context as Context;
  const deadline = Date.now() + FALLBACK_REMAINING_MS;
  return { ...context, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) } as Context;
}

/**
 * Runs `run` once per (caller, route, key) and replays its result to retries.
 * @throws ValidationError for a key longer than 255; IdempotencyKeyReusedError; ConflictError while in flight
 */
export async function idempotent(
  table: TableClient,
  scope: IdempotencyScope,
  context: Partial<Context>,
  run: () => Promise<StoredResponse>,
): Promise<StoredResponse> {
  if (scope.key.length > MAX_KEY_LENGTH) {
    throw new ValidationError('Idempotency-Key is too long', [{ path: 'headers.idempotency-key', message: `at most ${MAX_KEY_LENGTH} characters` }]);
  }
  const where = `${scope.caller}#${scope.routeKey}#${scope.key}`;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'scope',
    payloadValidationJmesPath: 'digest',
    expiresAfterSeconds: TTL_SECONDS,
    hashFunction: 'sha256',
  });
  config.registerLambdaContext(withDeadline(context));
  const once = makeIdempotent(async (_payload: Payload) => ({ sealed: seal(scope.token, where, await run()) }), {
    persistenceStore: idempotencyRecords(table),
    config,
  });
  const payload: Payload = {
    scope: { caller: scope.caller, routeKey: scope.routeKey, key: scope.key },
    digest: requestDigest(scope.token, where, scope.request),
  };
  try {
    const { sealed } = await once(payload);
    return unseal<StoredResponse>(scope.token, where, sealed);
  } catch (error) {
    if (error instanceof IdempotencyValidationError) throw new IdempotencyKeyReusedError('This Idempotency-Key was used with a different request');
    if (error instanceof IdempotencyAlreadyInProgressError) throw new ConflictError('A request with this Idempotency-Key is still in progress');
    throw error;
  }
}
