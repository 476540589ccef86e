/** Idempotent terminate: EC2's TerminateInstances is idempotent, and an id EC2 no longer knows is a VM gone. */
import { ec2Sdk } from './sdk';
import { ec2Call, type Ec2Context } from './context';
import { INSTANCE_NOT_FOUND, errorCode } from './error-codes';

/** Terminates `cloudId`; a VM already terminated or unknown to EC2 counts as done. */
export async function terminateEc2Instance(ctx: Ec2Context, cloudId: string): Promise<void> {
  await ec2Call(ctx, 'TerminateInstances', async () => {
    try {
      const { TerminateInstancesCommand } = await ec2Sdk();
      await (await ctx.client()).send(new TerminateInstancesCommand({ InstanceIds: [cloudId] }));
    } catch (error) {
      if (errorCode(error) !== INSTANCE_NOT_FOUND) throw error;
    }
  });
}
