/** What every EC2 operation works with, and the one place their failures are classified. */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { toCloudError, type Ec2CallSite } from './classify-error';
import type { Ec2Settings } from './settings';

/** One (connector, credential): the client and what messages may name. */
export interface Ec2Context {
  /** Made at the first call (the SDK loads then), the same one after. */
  client: () => Promise<EC2Client>;
  connector: string;
  region: string;
  credentialId: string;
  settings: Ec2Settings;
  /** The credential's keys, removed from any text the cloud sends back. */
  secrets: readonly string[];
}

/**
 * Runs one EC2 action (one request, or the pages of one listing) and turns its
 * failure into a typed cloud error naming `subject` where it is at fault.
 */
export async function ec2Call<T>(
  ctx: Ec2Context,
  operation: string,
  run: () => Promise<T>,
  subject: Pick<Ec2CallSite, 'imageId' | 'instanceType'> = {},
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toCloudError(error, { operation, connector: ctx.connector, region: ctx.region, credentialId: ctx.credentialId, secrets: ctx.secrets, ...subject });
  }
}
