/**
 * One delivery attempt's HTTP POST, guarded against server-side request forgery:
 * the URL must pass the webhook rule, and every address its host resolves to must
 * be allowed too; the connection goes to an address that was checked (so a name
 * that resolves elsewhere between check and connect cannot slip through). No
 * redirect is followed, the whole exchange has a deadline, and at most a few KB of
 * the answer are read.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isForbiddenAddress, webhookUrlProblem, type UrlRule } from '#functions/domain/webhook-urls';

export interface PostResult {
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why there is no 2xx answer (never holds a header or the body). */
  error?: string;
  durationMs: number;
}

/** Bytes of an answer read before it is dropped: only its status matters. */
const MAX_ANSWER_BYTES = 16 * 1024;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for `http.request` that resolves the name and refuses it if any address is not allowed. */
function checkedLookup(rule: UrlRule) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((a) => isForbiddenAddress(a.address, rule));
      if (refused || !addresses.length) {
        const denied = Object.assign(new Error(`${hostname} resolves to an address webhooks may not reach`), { code: 'EADDRNOTALLOWED' });
        return callback(denied, []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** POSTs `body` to `url` with `headers`; never throws. */
export function postWebhook(url: string, headers: Record<string, string>, body: string, options: UrlRule & { timeoutMs: number }): Promise<PostResult> {
  const started = Date.now();
  const problem = webhookUrlProblem(url, options);
  if (problem) return Promise.resolve({ error: `the URL is refused: ${problem}`, durationMs: 0 });
  const target = new URL(url);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ ...result, durationMs: Date.now() - started });
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: checkedLookup(options) as never,
        agent: false,
      },
      (answer: IncomingMessage) => {
        let read = 0;
        answer.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) answer.destroy();
        });
        const done = () => finish(answer.statusCode && answer.statusCode >= 200 && answer.statusCode < 300 ? { status: answer.statusCode } : failed(answer));
        answer.on('end', done);
        answer.on('close', done);
        answer.on('error', done);
      },
    );
    const deadline = setTimeout(() => {
      request.destroy();
      finish({ error: `no answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code ? `${error.code}: ${error.message}` : error.message }));
    request.end(body);
  });
}

function failed(answer: IncomingMessage): Omit<PostResult, 'durationMs'> {
  const status = answer.statusCode ?? 0;
  return { status, error: status >= 300 && status < 400 ? `answered ${status} (redirects are not followed)` : `answered ${status}` };
}
