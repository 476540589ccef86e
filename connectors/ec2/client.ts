/**
 * The EC2 client of one (connector, credential): explicit region, endpoint and
 * keys (nothing read from the environment or ~/.aws), a timeout on every request,
 * no SDK retries, and the rate budget taken before each request goes out.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { ec2Sdk } from './sdk';
import type { RateBudget } from '#connectors/contract';
import { isThrottling } from './error-codes';
import type { Ec2Secrets } from './settings';

/** Timeouts of one request; the SDK has none by default and would wait forever on a stalled socket. */
export const EC2_TIMEOUTS = {
  /** @default 5 s to open the TCP (and TLS) connection. */
  connectionMs: 5_000,
  /** @default 15 s for the whole reply once connected: RunInstances answers in about a second. */
  requestMs: 15_000,
} as const;

export interface Ec2ClientOptions {
  region: string;
  /** Any EC2-compatible endpoint; AWS's own for the region when absent. */
  endpoint?: string;
  secrets: Ec2Secrets;
  budget?: RateBudget;
  timeouts?: { connectionMs: number; requestMs: number };
}

/** Builds the client (loading the SDK at first use). One attempt per call: Slipway's state machines retry with backoff and jitter themselves. */
export async function ec2Client(options: Ec2ClientOptions): Promise<EC2Client> {
  const timeouts = options.timeouts ?? EC2_TIMEOUTS;
  const { EC2Client } = await ec2Sdk();
  const client = new EC2Client({
    region: options.region,
    endpoint: options.endpoint,
    // The connector's endpoint is the one home of where requests go: AWS_ENDPOINT_URL_EC2 must not redirect them.
    ignoreConfiguredEndpointUrls: true,
    credentials: { accessKeyId: options.secrets.accessKeyId, secretAccessKey: options.secrets.secretAccessKey },
    maxAttempts: 1,
    // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes, and keeps waiting.
    requestHandler: { connectionTimeout: timeouts.connectionMs, requestTimeout: timeouts.requestMs, throwOnRequestTimeout: true },
  });
  const budget = options.budget;
  if (budget) {
    client.middlewareStack.add(
      (next) => async (args) => {
        await budget.take();
        try {
          return await next(args);
        } catch (error) {
          if (isThrottling(error)) await budget.throttled();
          throw error;
        }
      },
      // Before signing (finalizeRequest): a request that waited for a token is signed when it leaves.
      { step: 'build', name: 'slipwayRateBudget' },
    );
  }
  return client;
}
