/**
 * One signed CloudStack API call: common parameters (`response=json`, `apikey`,
 * `signatureversion=3` with `expires`), the signature, the budget and timeout of
 * cloudFetch, the response's single top-level value unwrapped, and every failure
 * classified. Reads are retried briefly on transient failures; writes never are
 * (a retried write could act twice; the step's own retry finds what was made).
 */
import type { RateBudget } from '#connectors/contract';
import { cloudFetch } from '#connectors/commons/http';
import { PermanentCloudError, isCloudError } from '#connectors/errors';
import { classifyFailure, type FailureContext } from './api-errors';
import { expiresAt, signParams } from './signing';

/** A response's inner object, e.g. what `listzonesresponse` holds. */
export type ApiObject = Record<string, unknown>;

export interface CallOptions {
  /** State-changing calls go as a form POST (also keeps large user data out of the URL). */
  write?: boolean;
  /** What the call is about, for error messages (image, zone, offering). */
  about?: Partial<FailureContext>;
  /** A 431 (CloudStack's answer to a list by an id it does not know) reads as an empty answer. */
  missingIsEmpty?: boolean;
}

export interface CloudStackApi {
  /** Sends `command` with `params` (names in lower case) and returns the response's inner object. */
  call(command: string, params?: Record<string, string>, options?: CallOptions): Promise<ApiObject>;
}

export interface ApiClientOptions {
  /** The full API URL, e.g. `https://api.exoscale.ch/compute` or `http://host:8080/client/api`. */
  endpoint: string;
  apiKey: string;
  secretKey: string;
  budget?: RateBudget;
  now: () => Date;
  context: FailureContext;
  /** Waits before the extra tries of a read. @default [300, 900] */
  readRetryDelaysMs?: number[];
}

/** egoscale's choice: far enough ahead for clock skew, short enough to limit replay. */
const EXPIRES_TTL_MS = 10 * 60 * 1000;

export function cloudStackApi(options: ApiClientOptions): CloudStackApi {
  const delays = options.readRetryDelaysMs ?? [300, 900];
  async function once(command: string, params: Record<string, string>, callOptions: CallOptions): Promise<ApiObject> {
    const signed: Record<string, string> = {
      ...params,
      command,
      response: 'json',
      apikey: options.apiKey,
      signatureversion: '3',
      expires: expiresAt(options.now(), EXPIRES_TTL_MS),
    };
    const query = new URLSearchParams({ ...signed, signature: signParams(signed, options.secretKey) }).toString();
    const response = await cloudFetch({
      what: `cloudstack ${command}`,
      budget: options.budget,
      ...(callOptions.write
        ? { url: options.endpoint, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: query }
        : { url: `${options.endpoint}?${query}` }),
    });
    return unwrap(command, response.status, response.text, { ...options.context, ...callOptions.about }, callOptions.missingIsEmpty === true);
  }
  return {
    async call(command, params = {}, callOptions = {}) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await once(command, params, callOptions);
        } catch (error) {
          const retry = !callOptions.write && attempt < delays.length && isCloudError(error) && error.retryable;
          if (!retry) throw error;
          await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
        }
      }
    },
  };
}

/** The single top-level value of a reply (its key varies: `<command>response`, `errorresponse`, quirks). */
function unwrap(command: string, status: number, text: string, ctx: FailureContext, missingIsEmpty: boolean): ApiObject {
  let inner: ApiObject | undefined;
  try {
    const body = JSON.parse(text) as unknown;
    const value = body && typeof body === 'object' ? Object.values(body)[0] : undefined;
    inner = value && typeof value === 'object' ? (value as ApiObject) : {};
  } catch {
    inner = undefined;
  }
  const errorcode = typeof inner?.errorcode === 'number' ? inner.errorcode : undefined;
  if (missingIsEmpty && (errorcode ?? status) === 431) return {};
  if (status >= 400 || errorcode !== undefined) {
    const errortext = typeof inner?.errortext === 'string' ? inner.errortext : undefined;
    const cserrorcode = typeof inner?.cserrorcode === 'number' ? inner.cserrorcode : undefined;
    throw classifyFailure({ what: command, status, errorcode, cserrorcode, errortext }, ctx);
  }
  // An empty body is an empty answer (CloudStack omits empty fields, sometimes all of them).
  if (inner === undefined && text.trim() !== '') {
    throw new PermanentCloudError(`cloudstack connector ${ctx.connector}: ${command} answered with something that is not JSON (is the endpoint the API URL?)`);
  }
  return inner ?? {};
}
