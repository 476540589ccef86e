/**
 * One XML-RPC call to oned: the session string prepended as argument 1, sent
 * through cloudFetch (timeout, rate budget), and every failure turned into a typed
 * cloud error. Neither the password nor the session string ever reaches an error:
 * the request body is never quoted, and the cloud's own text is scrubbed of both.
 */
import type { RateBudget } from '#connectors/contract';
import { cloudFetch, errorForStatus, truncate } from '#connectors/commons/http';
import { TransientCloudError } from '#connectors/errors';
import { errorForFailure, errorForFault, OpennebulaRpcError, type FailureContext } from './rpc-errors';
import { buildMethodCall, parseMethodResponse, type RpcArg, type RpcValue } from './xml-rpc';

export interface RpcClientOptions extends FailureContext {
  /** The XML-RPC URL, e.g. `http://one.example:2633/RPC2`. */
  endpoint: string;
  username: string;
  password: string;
  budget?: RateBudget;
  /** @default cloudFetch's DEFAULT_TIMEOUT_MS */
  timeoutMs?: number;
}

/** Calls one OpenNebula method; resolves with the success value (slot 1 of the answer). */
export type RpcCall = (method: string, args: RpcArg[]) => Promise<RpcValue>;

/** Replaces every occurrence of a secret in text a cloud (or a proxy echoing the request) sent back. */
export function redact(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length > 0).reduce((out, secret) => out.split(secret).join('***'), text);
}

/** Builds the caller for one connector opened with one credential. */
export function rpcClient(options: RpcClientOptions): RpcCall {
  const session = `${options.username}:${options.password}`;
  // The longest first, so the session is replaced whole rather than around its password.
  const secrets = [session, options.password];
  const clean = (text: string) => redact(text, secrets);
  const failureContext: FailureContext = {
    credentialId: options.credentialId,
    connectorName: options.connectorName,
  };

  return async function call(method, args) {
    const what = `opennebula ${method}`;
    const response = await cloudFetch({
      what,
      url: options.endpoint,
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: buildMethodCall(method, [session, ...args]),
      budget: options.budget,
      timeoutMs: options.timeoutMs,
    });
    if (response.status !== 200) throw errorForStatus(what, response.status, clean(truncate(response.text)), { credential: options.credentialId });

    let reply;
    try {
      reply = parseMethodResponse(response.text);
    } catch (error) {
      throw new TransientCloudError(`${what} answered with something that is not XML-RPC`, {
        cause: new Error(clean(truncate(response.text)), { cause: error }),
      });
    }
    if (reply.kind === 'fault') throw errorForFault(new OpennebulaRpcError(method, reply.code, clean(reply.message), true));

    const [ok, value, code] = Array.isArray(reply.values[0]) ? reply.values[0] : [];
    if (ok === true) return value ?? '';
    if (ok === false) throw errorForFailure(new OpennebulaRpcError(method, Number(code ?? 0), clean(String(value ?? ''))), failureContext);
    throw new TransientCloudError(`${what} answered without OpenNebula's [success, value, code] array`, { cause: new Error(clean(truncate(response.text))) });
  };
}
