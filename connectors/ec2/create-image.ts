/**
 * createImage, idempotent: the account's AMI with the build's name is looked for
 * FIRST (AMI names are unique per account and region, so the name is the key; a
 * CreateImage that still meets `InvalidAMIName.Duplicate` looks again). CreateImage
 * is sent without NoReboot: EC2 itself shuts the instance down for a consistent
 * snapshot (and boots it again), so no separate stop is needed. The AMI is tagged
 * with Slipway's image tag at creation.
 */
import type { Image, Tag } from '@aws-sdk/client-ec2';
import type { CreateImageRequest } from '#connectors/contract';
import { imageTagMatches, imageTagPairs } from '#connectors/commons/tag';
import { NotReadyYetError, PermanentCloudError, TransientCloudError } from '#connectors/errors';
import { ec2Call, type Ec2Context } from './context';
import { findEc2InstanceById } from './describe-instances';
import { IMAGE_NAME_TAKEN, INSTANCE_ID_INVALID_CODES, WRONG_INSTANCE_STATE_CODES, errorCode } from './error-codes';
import { ec2Sdk } from './sdk';

/** AMI names: 3 to 128 of letters, digits, `( ) [ ] . / - ' @ _` and spaces. */
const AMI_NAME_REFUSED = /[^A-Za-z0-9()[\]./\-'@_ ]/g;

/** The AMI name for `name`: refused characters become `-`, always the same way, so a retry asks for the same name. */
export function amiName(name: string): string {
  const cleaned = name.replace(AMI_NAME_REFUSED, '-').slice(0, 128);
  return cleaned.length >= 3 ? cleaned : cleaned.padEnd(3, '-');
}

type Outcome = { imageId?: string } | { refused: 'name taken' | 'wrong state' | 'no instance' };

/**
 * Answers the AMI made for the build, asking EC2 for one when there is none.
 * @throws PermanentCloudError when the instance does not exist or is going away; NotReadyYetError
 *   while it cannot be imaged yet (pending); classified errors of the calls.
 */
export async function createEc2Image(ctx: Ec2Context, request: CreateImageRequest): Promise<{ imageId: string }> {
  const name = amiName(request.name);
  const made = await findOwnImage(ctx, name, request);
  if (made) return { imageId: made };

  const outcome: Outcome = await ec2Call(ctx, 'CreateImage', async () => {
    const { CreateImageCommand } = await ec2Sdk();
    const command = new CreateImageCommand({
      InstanceId: request.cloudId,
      Name: name,
      Description: `Slipway image ${request.tag.image}, build ${request.tag.build}`,
      TagSpecifications: [{ ResourceType: 'image', Tags: imageTags(request) }],
    });
    try {
      return { imageId: (await (await ctx.client()).send(command)).ImageId };
    } catch (error) {
      const code = errorCode(error) ?? '';
      if (code === IMAGE_NAME_TAKEN) return { refused: 'name taken' };
      if (WRONG_INSTANCE_STATE_CODES.has(code)) return { refused: 'wrong state' };
      if (INSTANCE_ID_INVALID_CODES.has(code)) return { refused: 'no instance' };
      throw error;
    }
  });
  if ('imageId' in outcome && outcome.imageId) return { imageId: outcome.imageId };
  const refused = 'refused' in outcome ? outcome.refused : undefined;
  if (refused === 'name taken') {
    // Made by an earlier attempt whose reply was lost, or by a concurrent one.
    const found = await findOwnImage(ctx, name, request);
    if (found) return { imageId: found };
    throw new PermanentCloudError(
      `ec2 connector ${ctx.connector}: an AMI named ${name} exists in ${ctx.region} but was not made for build ${request.tag.build}`,
    );
  }
  if (refused === 'no instance') throw gone(ctx, request.cloudId);
  if (refused === 'wrong state') {
    const vm = await findEc2InstanceById(ctx, request.cloudId);
    if (!vm || vm.state === 'terminated' || vm.rawState === 'shutting-down') throw gone(ctx, request.cloudId);
    throw new NotReadyYetError(`instance ${request.cloudId} on ec2 connector ${ctx.connector} cannot be imaged while ${vm.rawState}`);
  }
  throw new TransientCloudError(`ec2 CreateImage on connector ${ctx.connector} answered without an image id (a retry finds the AMI by name)`);
}

const gone = (ctx: Ec2Context, instanceId: string) =>
  new PermanentCloudError(
    `instance ${instanceId} does not exist on ec2 connector ${ctx.connector} (${ctx.region}) or is terminated: there is nothing to image`,
  );

/** The account's AMI named `name` made for this build (a deregistered one no longer counts). */
async function findOwnImage(ctx: Ec2Context, name: string, request: CreateImageRequest): Promise<string | undefined> {
  const images = await ec2Call(ctx, 'DescribeImages', async () => {
    const { DescribeImagesCommand } = await ec2Sdk();
    const reply = await (await ctx.client()).send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] }));
    return reply.Images ?? [];
  });
  return images.find((image) => image.ImageId && image.Name === name && image.State !== 'deregistered' && taggedFor(image, request))?.ImageId;
}

function taggedFor(image: Image, request: CreateImageRequest): boolean {
  const pairs = Object.fromEntries((image.Tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value]])));
  return imageTagMatches(pairs, request.tag);
}

/** Slipway's image tags, plus EC2's `Name` so the console shows the image's name. */
function imageTags(request: CreateImageRequest): Tag[] {
  return [...Object.entries(imageTagPairs(request.tag)).map(([Key, Value]) => ({ Key, Value })), { Key: 'Name', Value: request.name }];
}
