/**
 * An AMI's state (`DescribeImages`) → the generic image state. EC2's ImageState
 * values: pending, available, invalid, deregistered, transient, failed, error,
 * disabled. An id EC2 does not know (`InvalidAMIID.*`), or that it no longer
 * lists, is gone.
 */
import type { Image, ImageState as Ec2ImageState } from '@aws-sdk/client-ec2';
import type { ImageState, ImageStateName } from '#connectors/contract';
import { ec2Call, type Ec2Context } from './context';
import { IMAGE_NOT_FOUND_CODES, errorCode } from './error-codes';
import { ec2Sdk } from './sdk';

const BY_STATE: Record<Ec2ImageState, ImageStateName> = {
  pending: 'pending',
  transient: 'pending',
  available: 'available',
  failed: 'failed',
  error: 'failed',
  invalid: 'failed',
  disabled: 'failed',
  deregistered: 'gone',
};

/**
 * The generic state of an AMI, with EC2's reason for a failed one. A state this
 * table does not know reads as `pending`: the build's deadline ends a wait that
 * never resolves, whereas a false failure would throw a good image away.
 */
export function ec2ImageState(image: Image | undefined): ImageState {
  if (!image) return { state: 'gone', rawState: 'absent', reason: 'EC2 does not list the AMI' };
  const raw = image.State ?? 'unknown';
  const state = BY_STATE[raw as Ec2ImageState] ?? 'pending';
  if (state !== 'failed' && state !== 'gone') return { state, rawState: raw };
  const reason = image.StateReason?.Message?.trim() || image.StateReason?.Code || `the AMI is ${raw}`;
  return { state, rawState: raw, reason };
}

/** The AMI as EC2 describes it now; undefined when it does not know it. */
export async function describeEc2Image(ctx: Ec2Context, imageId: string): Promise<Image | undefined> {
  return ec2Call(ctx, 'DescribeImages', async () => {
    const { DescribeImagesCommand } = await ec2Sdk();
    try {
      return (await (await ctx.client()).send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.find((image) => image.ImageId === imageId);
    } catch (error) {
      if (IMAGE_NOT_FOUND_CODES.has(errorCode(error) ?? '')) return undefined;
      throw error;
    }
  });
}

export async function ec2ImageStateOf(ctx: Ec2Context, imageId: string): Promise<ImageState> {
  return ec2ImageState(await describeEc2Image(ctx, imageId));
}
