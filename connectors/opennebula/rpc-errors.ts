/**
 * OpenNebula's error codes and how each becomes a typed cloud error. A failed call
 * answers `[false, message, code, objectId?, replicationIndex?]` (3 values on 4.x,
 * 4 on 5.0–5.8, 5 since 5.10); a transport-level `<fault>` has its own code.
 */
import { CloudQuotaExceededError, PermanentCloudError, TransientCloudError, type CloudError } from '#connectors/errors';
import { truncate } from '#connectors/commons/http';

/** Error codes from OpenNebula's api.rst (REPLICATION from include/Request.h). */
export const ONE_ERROR_CODE = {
  authentication: 0x100,
  authorization: 0x200,
  noExists: 0x400,
  action: 0x800,
  rpcApi: 0x1000,
  internal: 0x2000,
  allocate: 0x4000,
  locked: 0x8000,
  replication: 0x10000,
} as const;

/** Codes a later attempt may cure: wrong state for now, oned busy, a lock, HA replication. */
const TRANSIENT_CODES: readonly number[] = [ONE_ERROR_CODE.action, ONE_ERROR_CODE.internal, ONE_ERROR_CODE.locked, ONE_ERROR_CODE.replication];

/** xmlrpc-c's fault code for "no such method" (older oned without `one.vmpool.infoextended`). */
export const FAULT_NO_SUCH_METHOD = -506;

/**
 * The cloud's own words, kept as the `cause` of the typed error so callers can
 * still ask which code it was (a NO_EXISTS on terminate means "already gone").
 */
export class OpennebulaRpcError extends Error {
  override readonly name = 'OpennebulaRpcError';
  constructor(
    readonly method: string,
    /** The OpenNebula error code, or the fault code when `fault` is true. */
    readonly code: number,
    message: string,
    readonly fault = false,
  ) {
    super(message);
  }
}

/** The OpenNebula error code behind a cloud error, when there is one. */
export function opennebulaCodeOf(error: unknown): number | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof OpennebulaRpcError && !cause.fault ? cause.code : undefined;
}

/** The cloud's message behind a cloud error ('' when it did not come from oned). */
export function opennebulaMessageOf(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof OpennebulaRpcError ? cause.message : '';
}

export interface FailureContext {
  credentialId: string;
  connectorName: string;
}

/**
 * The typed error for a `[false, message, code]` answer. A quota message wins
 * over its code: oned reports quota as AUTHORIZATION or ALLOCATE depending on the release.
 */
export function errorForFailure(failure: OpennebulaRpcError, ctx: FailureContext): CloudError {
  const what = `opennebula ${failure.method}`;
  const said = failure.message ? `: ${truncate(failure.message)}` : '';
  const options = { cause: failure };
  if (failure.code === ONE_ERROR_CODE.authentication) {
    return new PermanentCloudError(
      `authentication failed for credential ${ctx.credentialId} on opennebula connector ${ctx.connectorName} (${failure.method})${said}`,
      options,
    );
  }
  if (/quota/i.test(failure.message)) return new CloudQuotaExceededError(`the OpenNebula account's quota is reached (${failure.method})${said}`, options);
  if (failure.code === ONE_ERROR_CODE.authorization) {
    return new PermanentCloudError(
      `credential ${ctx.credentialId} is not authorized for ${failure.method} on opennebula connector ${ctx.connectorName}${said}`,
      options,
    );
  }
  if (TRANSIENT_CODES.includes(failure.code)) return new TransientCloudError(`${what} failed with code 0x${failure.code.toString(16)}${said}`, options);
  return new PermanentCloudError(`${what} was refused with code 0x${failure.code.toString(16)}${said}`, options);
}

/** A transport-level fault: oned or a proxy could not run the call at all; a retry may succeed. */
export function errorForFault(fault: OpennebulaRpcError): CloudError {
  return new TransientCloudError(`opennebula ${fault.method} failed with XML-RPC fault ${fault.code}: ${truncate(fault.message)}`, { cause: fault });
}
