/**
 * Idempotent create. A create first looks for a VM holding the tag (EC2-compatible
 * clouds such as moto ignore ClientToken), then launches with a ClientToken derived
 * from the tag, so a retry whose first attempt's reply was lost gets the same VM
 * back from EC2 itself instead of a second one.
 */
import type { _InstanceType, Instance, Tag } from '@aws-sdk/client-ec2';
import { ec2Sdk } from './sdk';
import type { CloudInstance, CreateInstanceRequest } from '#connectors/contract';
import { tagPairs } from '#connectors/commons/tag';
import { renderUserDataBase64 } from '#connectors/commons/user-data';
import { PermanentCloudError, TransientCloudError } from '#connectors/errors';
import { clientToken } from './client-token';
import { ec2Call, type Ec2Context } from './context';
import { TOKEN_OF_TERMINATED, errorCode } from './error-codes';
import { findEc2InstanceByTag } from './describe-instances';
import { toCloudInstance } from './to-cloud-instance';

/** Fresh tokens tried when earlier ones belong to terminated VMs; one is the norm, two follow a scale down and up. */
const MAX_TOKEN_GENERATIONS = 4;

/** States in which a launch reply can only be the replay of an old token: a fresh launch is always pending. */
const GONE_STATE_NAMES = new Set(['shutting-down', 'terminated']);

/**
 * Returns the VM holding `request.tag`, launching it when there is none.
 * @throws PermanentCloudError (unknown image, bad instance type, bad credential…),
 * CloudQuotaExceededError, CapacityError, RateLimitedError or TransientCloudError.
 */
export async function createEc2Instance(ctx: Ec2Context, request: CreateInstanceRequest): Promise<CloudInstance> {
  const existing = await findEc2InstanceByTag(ctx, request.tag);
  if (existing) return existing;
  if (!request.instanceType) {
    throw new PermanentCloudError(
      `ec2 connector ${ctx.connector} needs an instance type for ${request.name}: set defaults.instanceType on the image or instanceType on the node`,
    );
  }
  const userData = renderBoot(request);
  for (let generation = 0; generation < MAX_TOKEN_GENERATIONS; generation++) {
    const launched = await runInstance(ctx, request, request.instanceType, userData, clientToken(request.tag, generation));
    if (launched && !GONE_STATE_NAMES.has(launched.State?.Name ?? '')) return { ...toCloudInstance(launched), tag: request.tag };
  }
  throw new PermanentCloudError(`ec2 connector ${ctx.connector}: the launch tokens of ${request.name} all belong to terminated VMs`);
}

/** One RunInstances; undefined when EC2 says the token's VM is terminated. */
async function runInstance(
  ctx: Ec2Context,
  request: CreateInstanceRequest,
  instanceType: string,
  userData: string,
  token: string,
): Promise<Instance | undefined> {
  const { settings } = ctx;
  const { RunInstancesCommand } = await ec2Sdk();
  const command = new RunInstancesCommand({
    ImageId: request.imageId,
    InstanceType: instanceType as _InstanceType,
    MinCount: 1,
    MaxCount: 1,
    ClientToken: token,
    UserData: userData,
    KeyName: settings.keyName,
    SubnetId: settings.subnetId,
    SecurityGroupIds: settings.securityGroupIds,
    TagSpecifications: [{ ResourceType: 'instance', Tags: instanceTags(request) }],
  });
  const reply = await ec2Call(
    ctx,
    'RunInstances',
    async () => {
      try {
        return await (await ctx.client()).send(command);
      } catch (error) {
        if (errorCode(error) === TOKEN_OF_TERMINATED) return undefined;
        throw error;
      }
    },
    { imageId: request.imageId, instanceType },
  );
  if (!reply) return undefined;
  const instance = reply.Instances?.[0];
  if (!instance?.InstanceId) throw new TransientCloudError(`ec2 RunInstances on connector ${ctx.connector} answered without an instance for ${request.name}`);
  return instance;
}

/** Slipway's tags, plus EC2's own `Name` tag so the console shows `web.2` instead of a bare id. */
function instanceTags(request: CreateInstanceRequest): Tag[] {
  const tags = Object.entries(tagPairs(request.tag)).map(([Key, Value]) => ({ Key, Value }));
  return [...tags, { Key: 'Name', Value: request.name }];
}

function renderBoot(request: CreateInstanceRequest): string {
  try {
    return renderUserDataBase64(request.name, request.boot);
  } catch (error) {
    throw new PermanentCloudError(`cannot build the boot script of ${request.name}: ${(error as Error).message}`);
  }
}
