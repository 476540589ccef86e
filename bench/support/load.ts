/** Closed-loop load: `concurrency` clients each sending the next request as soon as the last answered. */
import { percentile } from './stats';

export interface LoadRound {
  requests: number;
  errors: number;
  /** First few error descriptions. */
  errorSamples: string[];
  p50: number;
  p99: number;
  perSecond: number;
  wallMs: number;
}

/**
 * Sends `requests` requests, `concurrency` at a time; `send(i)` resolves to true
 * on success, false or a throw on error.
 */
export async function loadRound(concurrency: number, requests: number, send: (i: number) => Promise<boolean | string>): Promise<LoadRound> {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < requests) {
      const i = next++;
      const t = performance.now();
      let outcome: boolean | string;
      try {
        outcome = await send(i);
      } catch (error) {
        outcome = (error as Error).message;
      }
      latencies.push(performance.now() - t);
      if (outcome !== true) {
        errors++;
        if (errorSamples.length < 3) errorSamples.push(String(outcome));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const wallMs = performance.now() - started;
  return { requests, errors, errorSamples, p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond: (requests / wallMs) * 1000, wallMs };
}
